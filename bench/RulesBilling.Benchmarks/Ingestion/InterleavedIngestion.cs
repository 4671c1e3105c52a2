using System.Diagnostics;
using System.Globalization;

namespace RulesBilling.Benchmarks.Ingestion;

/// <summary>
/// <c>ingest-interleaved</c>: the variants of <see cref="IngestionBenchmarks"/> alternated round by round (each round:
/// a fresh file per variant, 10 batches of 1,000 events each), reported as median events/s and the median of
/// per-round throughput ratios to raw InsertBulk. See <see cref="RuleEvaluation.InterleavedRuleEvaluation"/> for why.
/// </summary>
internal static class InterleavedIngestion
{
    public static int Run(int rounds)
    {
        var bench = new IngestionBenchmarks();
        bench.Setup();
        var variants = new (string Name, Action Open, Func<int> Run)[]
        {
            ("raw LiteDB InsertBulk", bench.OpenRaw, bench.RawInsertBulk),
            ("EventIngestor (LiteDB)", bench.OpenStore, bench.Ingestor),
            ("LiteDbBillingStore.AppendEvents", bench.OpenStore, bench.StoreAppend),
        };
        var rates = variants.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var v = 0; v < variants.Length; v++)
            {
                variants[v].Open();
                var watch = Stopwatch.StartNew();
                for (var b = 0; b < IngestionBenchmarks.Batches; b++) variants[v].Run();
                watch.Stop();
                bench.Close();
                rates[v].Add(IngestionBenchmarks.Batches * 1000 / watch.Elapsed.TotalSeconds);
            }
        }

        Console.WriteLine($"| variant | median events/s (of {rounds} rounds) | median throughput vs raw InsertBulk |");
        Console.WriteLine("|---|---:|---:|");
        for (var v = 0; v < variants.Length; v++)
        {
            var ratios = rates[v].Zip(rates[0], (x, b) => x / b).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variants[v].Name} | {Median(rates[v]):N0} | {Median(ratios):P0} |"));
        }
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
