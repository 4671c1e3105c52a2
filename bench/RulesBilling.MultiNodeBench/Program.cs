using System.Globalization;
using Npgsql;
using RulesBilling.MultiNodeBench;

// HTTP ingestion throughput of `rulesbilling serve`: LiteDB on one node, then PostgreSQL on 1, 2 and 3 nodes.
// Usage: RulesBilling.MultiNodeBench --pg "<Npgsql connection string>" [--seconds 15] [--warmup 3] [--connections 8] [--batch 100] [--customers 1000] [--nodes 1,2,3]
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: RulesBilling.MultiNodeBench --pg \"Host=...;Database=...\" [--seconds 15] [--warmup 3] [--connections 8] [--batch 100] [--customers 1000] [--nodes 1,2,3]");
    return 2;
}

Console.WriteLine(FormattableString.Invariant(
    $"{options.Connections} connections, batches of {options.Batch} over {options.Customers} customers, {options.Seconds} s measured after {options.Warmup} s warm-up; load average at start {Load()}"));
Console.WriteLine("| Store | Nodes | Requests | Accepted events | Events/s | p50 | p99 | Failed requests | Load avg after |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
var failed = 0;
failed += await Run("LiteDB", 1, null);
foreach (var nodes in options.Nodes)
{
    failed += await Run("PostgreSQL", nodes, options.Postgres);
}
return failed == 0 ? 0 : 1;

async Task<int> Run(string store, int nodes, string? postgres)
{
    var folder = Path.Combine(Path.GetTempPath(), "rb-multinode-bench", Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(folder);
    var schema = "rb_bench_" + Guid.NewGuid().ToString("N");
    var spec = postgres is null
        ? Path.Combine(folder, "billing.db")
        : new NpgsqlConnectionStringBuilder(postgres) { SearchPath = schema, MaxPoolSize = 30 }.ConnectionString;
    var cluster = new List<ServeNode>();
    try
    {
        var rules = Path.Combine(folder, "bench.rules");
        await File.WriteAllTextAsync(rules, BenchRules.Text);
        cluster.AddRange(Enumerable.Range(0, nodes).Select(_ => ServeNode.Start(spec, rules, folder)));
        await Task.WhenAll(cluster.Select(n => n.WaitUntilHealthyAsync()));
        var result = await LoadRun.RunAsync(cluster.Select(n => n.Address).ToList(), options);
        Console.WriteLine(FormattableString.Invariant(
            $"| {store} | {nodes} | {result.Requests:N0} | {result.Accepted:N0} | **{result.EventsPerSecond:N0}** | {result.P50:0.0} ms | {result.P99:0.0} ms | {result.Failures} | {Load()} |"));
        return result.Failures == 0 ? 0 : 1;
    }
    finally
    {
        foreach (var node in cluster) node.Dispose();
        if (postgres is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Directory.Delete(folder, recursive: true);
    }
}

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

namespace RulesBilling.MultiNodeBench
{
    internal sealed record Options(string Postgres, double Seconds, double Warmup, int Connections, int Batch, int Customers, IReadOnlyList<int> Nodes)
    {
        public static Options? Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Length; i += 2) values[args[i]] = args[i + 1];
            if (!values.TryGetValue("--pg", out var postgres) || args.Length % 2 != 0) return null;
            double Number(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
            var nodes = values.TryGetValue("--nodes", out var list)
                ? list.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList()
                : [1, 2, 3];
            return new Options(postgres, Number("--seconds", 15), Number("--warmup", 3), (int)Number("--connections", 8), (int)Number("--batch", 100), (int)Number("--customers", 1000), nodes);
        }
    }
}
