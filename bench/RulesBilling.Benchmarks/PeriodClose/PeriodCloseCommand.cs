using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RulesBilling.Benchmarks.Workload;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Benchmarks.PeriodClose;

/// <summary>
/// <c>close --events N</c>: ingests N events for 1,000 customers under 3 contracts into a LiteDB file, then closes
/// March 2026 twice, each in a fresh child process so that peak memory belongs to one side only: the engine
/// (<see cref="Engine.Billing.InvoiceLifecycle.Finalize"/> per customer) and a hand-written single pass over the same
/// stored events (the floor). Both must arrive at the same invoice totals.
/// </summary>
internal static class PeriodCloseCommand
{
    /// <param name="keep">Where to copy the populated file before it is closed (to profile <c>close-run</c> on copies of it), or null.</param>
    public static int Run(long events, int customers, string? keep = null)
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
            Console.WriteLine(FormattableString.Invariant($"stored {events:N0} events for {customers} customers in {load.Elapsed.TotalSeconds:0.0} s ({events / load.Elapsed.TotalSeconds:N0} events/s, EventIngestor x1000); file {Measurement.Mib(size)}"));

            if (keep is not null) File.Copy(database, keep, overwrite: true);

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

    /// <summary>
    /// Stores the events as the service does: through <see cref="EventIngestor"/> in batches of 1,000, so the store
    /// also keeps the outcome state the engine's close reads (the JSON as received, the typed values, the state).
    /// </summary>
    private static void Populate(string database, long events, int customers)
    {
        using var store = new LiteDbBillingStore(database);
        var rules = BenchRules.Compile(customers);
        var ingestor = new EventIngestor(store, new FixedClock(BenchTasks.March.AddDays(31)));
        foreach (var chunk in BenchTasks.Generate(seed: 42, events, customers, "close-").Chunk(EventIngestor.MaxBatchSize))
        {
            var result = ingestor.Ingest(BenchRules.Tenant, BenchTask.Batch(chunk), rules);
            if (!result.Succeeded || result.Accepted != chunk.Length)
            {
                throw new InvalidOperationException($"ingesting the generated events failed: {result.Error ?? $"{result.Accepted} of {chunk.Length} accepted"}");
            }
        }
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
