using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using RulesBilling.Benchmarks.Workload;

namespace RulesBilling.Benchmarks.Http;

/// <summary>
/// <c>http</c>: starts <c>rulesbilling serve</c> on 127.0.0.1 and posts event batches to <c>/v1/events</c> from
/// several concurrent connections for a bounded time; reports accepted events/s and request latency percentiles.
/// Requests in the warm-up are sent but not counted. With <c>--pg</c> it also runs 1, 2, 3… nodes sharing one fresh
/// PostgreSQL schema, the connections spread round-robin over the nodes as a load balancer would. With
/// <c>--webhooks</c> the tenant first subscribes to every notification type at a receiver in this process that
/// answers 204, so the server's webhook worker raises and delivers notifications while the load runs.
/// </summary>
internal static class HttpLoadCommand
{
    private const string AdminKey = "bench-admin-key";

    public static async Task<int> RunAsync(
        int connections, int batchSize, TimeSpan duration, TimeSpan warmup, string? postgres, IReadOnlyList<int> nodeCounts, bool webhooks)
    {
        using var receiver = webhooks ? new WebhookReceiver() : null;
        Console.WriteLine(FormattableString.Invariant(
            $"{connections} connections, batches of {batchSize} over 1000 customers, {duration.TotalSeconds} s measured after {warmup.TotalSeconds} s warm-up, webhook subscription: {(webhooks ? "yes" : "no")}; load average at start {Load()}"));
        Console.WriteLine("| store | nodes | requests | accepted events | events/s | p50 | p99 | max | failed requests | load avg after |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var failures = await RunClusterAsync("LiteDB", 1, null, connections, batchSize, duration, warmup, receiver);
        if (postgres is not null)
        {
            foreach (var nodes in nodeCounts) failures += await RunClusterAsync("PostgreSQL", nodes, postgres, connections, batchSize, duration, warmup, receiver);
        }
        return failures == 0 ? 0 : 1;
    }

    private static async Task<int> RunClusterAsync(
        string storeName, int nodes, string? postgres, int connections, int batchSize, TimeSpan duration, TimeSpan warmup, WebhookReceiver? receiver)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rb-bench-http", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var schema = "rb_bench_" + Guid.NewGuid().ToString("N");
        var store = postgres is null
            ? Path.Combine(folder, "billing.db")
            : new NpgsqlConnectionStringBuilder(postgres) { SearchPath = schema, MaxPoolSize = 30 }.ConnectionString;
        var cluster = new List<ServerProcess>();
        try
        {
            var rules = BenchRules.Write(folder, customers: 1000);
            cluster.AddRange(Enumerable.Range(0, nodes).Select(_ => new ServerProcess(store, rules, AdminKey, rateLimit: 100_000_000, allowPrivateWebhooks: receiver is not null)));
            await Task.WhenAll(cluster.Select(n => n.WaitUntilHealthyAsync()));

            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
            var key = await CreateTenantAsync(client, cluster[0].Address);
            if (receiver is not null) await SubscribeAsync(client, cluster[0].Address, key, receiver.Address);
            var deliveredBefore = receiver?.Received ?? 0;

            var start = Stopwatch.GetTimestamp();
            var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
            var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var workers = Enumerable.Range(0, connections)
                .Select(c => Task.Run(() => WorkerAsync(client, cluster[c % cluster.Count].Address, key, c, batchSize, measureFrom, stopAt)))
                .ToArray();
            var results = await Task.WhenAll(workers);

            var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
            var accepted = results.Sum(r => r.Accepted);
            var failures = results.Sum(r => r.Failures);
            if (receiver is not null) Console.WriteLine(FormattableString.Invariant($"webhook deliveries received during the run: {receiver.Received - deliveredBefore:N0}"));
            Console.WriteLine(FormattableString.Invariant(
                $"| {storeName} | {nodes} | {latencies.Length:N0} | {accepted:N0} | **{accepted / duration.TotalSeconds:N0}** | {Percentile(latencies, 0.50):0.0} ms | {Percentile(latencies, 0.99):0.0} ms | {latencies.LastOrDefault():0.0} ms | {failures} | {Load()} |"));
            return failures == 0 ? 0 : 1;
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

    private static async Task<string> CreateTenantAsync(HttpClient client, Uri node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, "/v1/tenants")) { Content = JsonContent.Create(new { id = BenchRules.Tenant }) };
        request.Headers.Add("X-Api-Key", AdminKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["apiKey"]!.GetValue<string>();
    }

    private static async Task SubscribeAsync(HttpClient client, Uri node, string key, Uri receiver)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, "/v1/webhooks"))
        {
            Content = JsonContent.Create(new { url = receiver.ToString(), events = new[] { "outcome.billed", "entitlement.threshold", "credits.low" } }),
        };
        request.Headers.Add("X-Api-Key", key);
        using var response = await client.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"subscribing failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<WorkerResult> WorkerAsync(HttpClient client, Uri node, string key, int connection, int batchSize, long measureFrom, long stopAt)
    {
        var latencies = new List<double>();
        long accepted = 0;
        var failures = 0;
        var endpoint = new Uri(node, "/v1/events");
        var events = BenchTasks.Generate(seed: connection, long.MaxValue, customers: 1000, $"http-{connection}-").GetEnumerator();
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var batch = new List<BenchTask>(batchSize);
            while (batch.Count < batchSize && events.MoveNext()) batch.Add(events.Current);
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
            {
                Content = new StringContent(BenchTask.Batch(batch), Encoding.UTF8, "application/cloudevents-batch+json"),
            };
            request.Headers.Add("X-Api-Key", key);
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var done = Stopwatch.GetTimestamp();
            if (sent < measureFrom || done > stopAt) continue;
            latencies.Add((done - sent) * 1000.0 / Stopwatch.Frequency);
            if (!response.IsSuccessStatusCode)
            {
                failures++;
                continue;
            }
            accepted += JsonNode.Parse(body)!["accepted"]!.GetValue<long>();
        }
        return new WorkerResult(latencies, accepted, failures);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private sealed record WorkerResult(List<double> Latencies, long Accepted, int Failures);
}
