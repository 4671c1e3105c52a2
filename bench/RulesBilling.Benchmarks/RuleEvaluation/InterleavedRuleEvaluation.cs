using System.Diagnostics;
using System.Globalization;

namespace RulesBilling.Benchmarks.RuleEvaluation;

/// <summary>
/// <c>rules-interleaved</c>: the same four variants as <see cref="RuleEvaluationBenchmarks"/>, timed in alternation
/// (round after round, each round running every variant once) and reported as the median of per-round ratios.
/// On a machine shared with other work the load drifts between BenchmarkDotNet's consecutive benchmarks; within
/// one short round all variants see nearly the same load, so the ratio survives the noise.
/// </summary>
internal static class InterleavedRuleEvaluation
{
    public static int Run(int rounds)
    {
        var bench = new RuleEvaluationBenchmarks();
        bench.Setup();
        var variants = new (string Name, Func<decimal> Run, int Passes)[]
        {
            ("hand-written C#", bench.HandWritten, 200),
            ("hand-written C#, via delegates", bench.HandWrittenDelegates, 200),
            ("DSL compiled", bench.Dsl, 200),
            ("C# script rules", bench.Script, 200),
            ("RulesEngine 6.0.1", bench.RulesEngine, 4),
        };
        var perEvent = variants.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var v = 0; v < variants.Length; v++)
            {
                var (_, run, passes) = variants[v];
                var watch = Stopwatch.StartNew();
                for (var p = 0; p < passes; p++) run();
                perEvent[v].Add(watch.Elapsed.TotalNanoseconds / (passes * 1024.0));
            }
        }

        Console.WriteLine($"| variant | median ns/event (of {rounds} rounds) | median ratio to hand-written |");
        Console.WriteLine("|---|---:|---:|");
        for (var v = 0; v < variants.Length; v++)
        {
            var ratios = perEvent[v].Zip(perEvent[0], (x, b) => x / b).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variants[v].Name} | {Median(perEvent[v]):0.0} | {Median(ratios):0.00} |"));
        }
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
