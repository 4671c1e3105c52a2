using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RulesBilling.Benchmarks.Workload;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Runtime;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Benchmarks.PeriodClose;

/// <summary>
/// <c>close --events N</c>: stores N events for 1,000 customers under 3 contracts in a LiteDB file, then closes
/// March 2026 twice, each in a fresh child process so that peak memory belongs to one side only: the engine
/// (<see cref="Engine.Billing.BillingEngine.Finalize"/> per customer) and a hand-written single pass over the same
/// stored events (the floor). Both must arrive at the same invoice totals.
/// </summary>
internal static class PeriodCloseCommand
{
    public static int Run(long events, int customers)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rb-bench-close", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var database = Path.Combine(folder, "billing.db");
            var load = Stopwatch.StartNew();
            Populate(database, events, customers);
            load.Stop();
            var size = new FileInfo(database).Length;
            Console.WriteLine(FormattableString.Invariant($"stored {events:N0} events for {customers} customers in {load.Elapsed.TotalSeconds:0.0} s ({events / load.Elapsed.TotalSeconds:N0} events/s, AppendEvents x5000); file {Measurement.Mib(size)}"));

            var floor = Child(database, "floor", customers);
            var engine = Child(database, "engine", customers);
            if (floor.Total != engine.Total || floor.Invoices != engine.Invoices)
            {
                Console.WriteLine($"MISMATCH: floor {floor.Invoices} invoices total {floor.Total}, engine {engine.Invoices} invoices total {engine.Total}");
                return 1;
            }

            Console.WriteLine();
            Console.WriteLine($"| events | side | time | events/s | ratio | peak working set | max GC heap | allocated | gen0/1/2 |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var side in new[] { floor, engine })
            {
                Console.WriteLine(FormattableString.Invariant(
                    $"| {events:N0} | {side.Mode} | {side.Seconds:0.00} s | {events / side.Seconds:N0} | {side.Seconds / floor.Seconds:0.00} | {Measurement.Mib(side.PeakWorkingSet)} | {Measurement.Mib(side.MaxHeap)} | {Measurement.Mib(side.Allocated)} | {side.Gcs} |"));
            }
            Console.WriteLine($"both: {engine.Invoices} invoices, total {engine.Total.ToString(CultureInfo.InvariantCulture)} USD");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Populate(string database, long events, int customers)
    {
        using var store = new LiteDbBillingStore(database);
        var storedAt = BenchTasks.March.AddDays(31);
        // Stored as ingestion stores them: the JSON as received plus the typed values binding produced.
        var schema = BenchRules.Compile(customers).Events[BenchRules.EventType];
        foreach (var chunk in BenchTasks.Generate(seed: 42, events, customers, "close-").Chunk(5000))
        {
            store.AppendEvents(chunk.Select(t => Typed(schema, new StoredEvent(
                BenchRules.Tenant, BenchTask.Source, t.TaskId, BenchRules.EventType, t.Subject, t.Time, storedAt, 0, t.DataJson()))).ToList());
        }
    }

    private static StoredEvent Typed(EventSchema schema, StoredEvent e)
    {
        using var data = JsonDocument.Parse(e.DataJson);
        var bound = EventBinder.TryBind(schema, e.Id, e.Source, e.Subject, e.Time, data.RootElement, out var error)
            ?? throw new InvalidOperationException($"generated event {e.Id} does not bind: {error}");
        return e with { Fields = TypedFields.Encode(schema, bound) };
    }

    private static CloseResult Child(string database, string mode, int customers)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(PeriodCloseCommand).Assembly.Location, "close-run", "--db", database, "--mode", mode,
                "--customers", customers.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"close-run {mode} exited with {process.ExitCode}: {output}");
        return JsonSerializer.Deserialize<CloseResult>(line["RESULT ".Length..])!;
    }

    /// <summary>The child side: closes the period one way and prints one RESULT line.</summary>
    public static int RunSide(string database, string mode, int customers)
    {
        var totals = new decimal[customers];
        Measurement measured = mode switch
        {
            "floor" => Measurement.Run(() => HandWrittenClose.Run(database, customers, totals)),
            "engine" => Measurement.Run(() => EngineClose.Run(database, customers, totals)),
            _ => throw new ArgumentException($"unknown mode '{mode}'; use floor or engine"),
        };
        var result = new CloseResult(mode, measured.Elapsed.TotalSeconds, measured.PeakWorkingSetBytes, measured.MaxGcHeapBytes,
            measured.AllocatedBytes, $"{measured.Gen0}/{measured.Gen1}/{measured.Gen2}", totals.Count(t => t != 0m), totals.Sum());
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return 0;
    }

    internal sealed record CloseResult(string Mode, double Seconds, long PeakWorkingSet, long MaxHeap, long Allocated, string Gcs, int Invoices, decimal Total);
}
