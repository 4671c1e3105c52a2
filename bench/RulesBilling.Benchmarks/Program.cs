using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RulesBilling.Benchmarks.Binding;
using RulesBilling.Benchmarks.Compile;
using RulesBilling.Benchmarks.Http;
using RulesBilling.Benchmarks.Ingestion;
using RulesBilling.Benchmarks.PeriodClose;
using RulesBilling.Benchmarks.Reads;
using RulesBilling.Benchmarks.RuleEvaluation;
using RulesBilling.Benchmarks.Simulate;

namespace RulesBilling.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/RulesBilling.Benchmarks -- &lt;benchmark&gt;</c>; see docs/performance.md.
/// BenchmarkDotNet runs in-process with short jobs: the machine has 2 cores shared with other work, and an
/// out-of-process build per run costs more than it buys here.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: RulesBilling.Benchmarks <benchmark> [options]
          rules                                  rule evaluation: DSL vs hand-written C# vs C# script vs RulesEngine
          rules-interleaved [--rounds 40]        the same, variants alternated round by round (robust to load drift)
          ingest                                 EventIngestor on LiteDB vs raw LiteDB InsertBulk
          ingest-interleaved [--rounds 15]       the same, variants alternated round by round
          close --events N [--customers 1000] [--keep FILE]
                                                 period close: engine vs hand-written single pass
          bind [--rounds 9]                      binding a stored event: from its JSON vs from its typed form
          simulate --events N [--customers 10,10000] [--store memory|litedb]
                                                 simulate over support_agent.rules: time and memory per customer count
          http [--connections 4] [--batch 100] [--seconds 20] [--warmup 3] [--webhooks] [--pg "Host=...;Database=..." [--nodes 1,2,3]]
                                                 load against `rulesbilling serve` on 127.0.0.1: one LiteDB node,
                                                 and with --pg 1, 2, 3… nodes sharing a fresh PostgreSQL schema
          compile [--rules pricing-rules]        check+compile time per rule file, cold and warm
          reads [--sizes 10000,100000,1000000] [--requests 200] [--budget 60] [--full-up-to 1000000]
                                                 preview, usage and entitlement check over HTTP (`serve`, LiteDB) for
                                                 one customer with N events: p50/p99 per size
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var rest = args[1..];
        switch (args[0])
        {
            case "rules":
                BenchmarkRunner.Run<RuleEvaluationBenchmarks>(Config(Job.ShortRun), rest);
                return 0;
            case "rules-interleaved":
                return InterleavedRuleEvaluation.Run((int)Long(rest, "--rounds", 40));
            case "ingest":
                var monitoring = new Job("Batches").WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2)
                    .WithIterationCount(8).WithInvocationCount(IngestionBenchmarks.Batches).WithUnrollFactor(1);
                BenchmarkRunner.Run<IngestionBenchmarks>(Config(monitoring), rest);
                return 0;
            case "ingest-interleaved":
                return InterleavedIngestion.Run((int)Long(rest, "--rounds", 15));
            case "close":
                return PeriodCloseCommand.Run(Long(rest, "--events", 100_000), (int)Long(rest, "--customers", 1000),
                    Array.IndexOf(rest, "--keep") >= 0 ? Text(rest, "--keep") : null);
            case "close-run":
                return PeriodCloseCommand.RunSide(Text(rest, "--db"), Text(rest, "--mode"), (int)Long(rest, "--customers", 1000));
            case "simulate":
                return SimulateCommand.Run(Long(rest, "--events", 100_000),
                    (Array.IndexOf(rest, "--customers") >= 0 ? Text(rest, "--customers") : "10,10000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList(),
                    Array.IndexOf(rest, "--store") >= 0 ? Text(rest, "--store") : "memory");
            case "bind":
                return InterleavedBinding.Run((int)Long(rest, "--rounds", 9));
            case "simulate-run":
                return SimulateCommand.RunSide(Text(rest, "--file"), Text(rest, "--store"), Text(rest, "--folder"));
            case "http":
                return await HttpLoadCommand.RunAsync((int)Long(rest, "--connections", 4), (int)Long(rest, "--batch", 100),
                    TimeSpan.FromSeconds(Long(rest, "--seconds", 20)), TimeSpan.FromSeconds(Long(rest, "--warmup", 3)),
                    Array.IndexOf(rest, "--pg") >= 0 ? Text(rest, "--pg") : null,
                    Array.IndexOf(rest, "--nodes") >= 0 ? Text(rest, "--nodes").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList() : [1, 2, 3],
                    webhooks: Array.IndexOf(rest, "--webhooks") >= 0);
            case "reads":
                return await ReadsCommand.RunAsync(
                    (Array.IndexOf(rest, "--sizes") >= 0 ? Text(rest, "--sizes") : "10000,100000,1000000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList(),
                    (int)Long(rest, "--requests", 200), TimeSpan.FromSeconds(Long(rest, "--budget", 60)), (int)Long(rest, "--full-up-to", 1_000_000));
            case "compile":
                return CompileCommand.Run(rest.Length >= 2 && rest[0] == "--rules" ? rest[1] : "pricing-rules");
            case "compile-run":
                return CompileCommand.RunOne(rest[0]);
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    private static IConfig Config(Job job) =>
        DefaultConfig.Instance.AddJob(job.WithToolchain(InProcessEmitToolchain.Instance)).WithOptions(ConfigOptions.DisableOptimizationsValidator);

    private static long Long(string[] args, string name, long fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} is required");
    }
}
