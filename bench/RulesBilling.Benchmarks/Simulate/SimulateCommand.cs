using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RulesBilling.Benchmarks.Workload;
using RulesBilling.Engine.Activity;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Benchmarks.Simulate;

/// <summary>
/// <c>simulate --events N --customers 10,10000</c>: what <c>rulesbilling simulate --rules
/// pricing-rules/support_agent.rules</c> costs for N <c>support.ticket.closed</c> events in January 2026 spread over
/// each customer count, in memory (or <c>--store litedb</c>). Each count runs in a fresh child process, so peak
/// memory belongs to one run; all runs must bill the same total. Live memory is the managed heap after a full
/// collection with the store and the result still referenced: what the simulation keeps per event.
/// </summary>
internal static class SimulateCommand
{
    private const string Rules = "pricing-rules/support_agent.rules";

    public static int Run(long events, IReadOnlyList<int> customerCounts, string storeKind)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rb-bench-simulate", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var results = new List<SimulateResult>();
            foreach (var customers in customerCounts)
            {
                var file = Path.Combine(folder, $"events-{customers}.jsonl");
                Generate(file, events, customers);
                results.Add(Child(file, storeKind, folder));
                File.Delete(file);
            }

            Console.WriteLine($"| events | customers | store | time | ratio | peak working set | per event | live heap | live per event | allocated | gen0/1/2 |");
            Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|");
            for (var i = 0; i < results.Count; i++)
            {
                var r = results[i];
                Console.WriteLine(FormattableString.Invariant(
                    $"| {events:N0} | {customerCounts[i]:N0} | {storeKind} | {r.Seconds:0.00} s | {r.Seconds / results[0].Seconds:0.00} | {Measurement.Mib(r.PeakWorkingSet)} | {r.PeakWorkingSet / events:N0} B | {Measurement.Mib(r.LiveHeap)} | {r.LiveHeap / events:N0} B | {Measurement.Mib(r.Allocated)} | {r.Gcs} |"));
            }
            var totals = results.Select(r => r.Total).Distinct().ToList();
            Console.WriteLine(totals.Count == 1 ? $"all runs: {results[0].Invoices} invoices at the first count, total {totals[0].ToString(CultureInfo.InvariantCulture)} USD"
                : "totals differ by customer count (expected: the base fee is per customer): " + string.Join(", ", results.Select(r => $"{r.Invoices} invoices {r.Total.ToString(CultureInfo.InvariantCulture)}")));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>N events in January 2026, round-robin over the customers, fixed seed.</summary>
    private static void Generate(string file, long events, int customers)
    {
        var random = new Random(7);
        string[] statuses = ["closed", "closed", "closed", "pending", "solved_by_human"];
        string[] channels = ["Email", "chat", "Voice"];
        string[] priorities = ["low", "normal", "high", "urgent"];
        using var writer = new StreamWriter(file, false, new UTF8Encoding(false));
        var line = new StringBuilder(300);
        for (long i = 0; i < events; i++)
        {
            var time = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(0, 30 * 86400));
            line.Clear()
                .Append(CultureInfo.InvariantCulture, $"{{\"specversion\":\"1.0\",\"id\":\"evt-{i:D8}\",\"source\":\"bench\",\"type\":\"support.ticket.closed\",")
                .Append(CultureInfo.InvariantCulture, $"\"subject\":\"cust-{i % customers:D5}\",\"time\":\"{time:yyyy-MM-dd'T'HH:mm:ss'Z'}\",\"data\":{{")
                .Append(CultureInfo.InvariantCulture, $"\"ticket_id\":\"T{i:D8}\",\"status\":\"{statuses[random.Next(statuses.Length)]}\",\"channel\":\"{channels[random.Next(channels.Length)]}\",")
                .Append(CultureInfo.InvariantCulture, $"\"handle_time\":{random.Next(30, 3600)},\"escalated\":{(random.NextDouble() < 0.1 ? "true" : "false")}");
            if (random.NextDouble() < 0.7) line.Append(CultureInfo.InvariantCulture, $",\"csat\":{random.Next(1, 6)}");
            if (random.NextDouble() < 0.5) line.Append(CultureInfo.InvariantCulture, $",\"priority\":\"{priorities[random.Next(priorities.Length)]}\"");
            writer.WriteLine(line.Append("}}"));
        }
    }

    private static SimulateResult Child(string file, string storeKind, string folder)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(SimulateCommand).Assembly.Location, "simulate-run", "--file", file, "--store", storeKind, "--folder", folder },
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"simulate-run exited with {process.ExitCode}: {output}");
        return JsonSerializer.Deserialize<SimulateResult>(line["RESULT ".Length..])!;
    }

    /// <summary>The child: one simulation, one RESULT line.</summary>
    public static int RunSide(string file, string storeKind, string folder)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText(Rules, File.ReadAllText(Rules))]);
        var rules = compilation.RuleSet ?? throw new InvalidOperationException($"{Rules} does not compile; run from the repository root");
        SimulationResult? result = null;
        IBillingStore? store = null;
        long live = 0;
        var measured = Measurement.Run(() =>
        {
            store = storeKind == "litedb" ? new LiteDbBillingStore(Path.Combine(folder, "simulate.db")) : new InMemoryBillingStore();
            using var reader = new StreamReader(file);
            result = DryRunSession.Run(rules, reader, TimeProvider.System, store);
            live = GC.GetTotalMemory(forceFullCollection: true);
        });
        GC.KeepAlive(result);
        store!.Dispose();
        var total = result!.Invoices.Sum(i => i.Total);
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(new SimulateResult(measured.Elapsed.TotalSeconds, measured.PeakWorkingSetBytes, live,
            measured.AllocatedBytes, $"{measured.Gen0}/{measured.Gen1}/{measured.Gen2}", result.Invoices.Count, total)));
        return 0;
    }

    internal sealed record SimulateResult(double Seconds, long PeakWorkingSet, long LiveHeap, long Allocated, string Gcs, int Invoices, decimal Total);
}
