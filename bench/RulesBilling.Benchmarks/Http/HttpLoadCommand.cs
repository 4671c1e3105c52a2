using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using RulesBilling.Benchmarks.Workload;

namespace RulesBilling.Benchmarks.Http;

/// <summary>
/// <c>http</c>: starts <c>rulesbilling serve</c> on 127.0.0.1 and posts event batches to <c>/v1/events</c> from
/// several concurrent connections for a bounded time; reports accepted events/s and request latency percentiles.
/// Requests in the warm-up are sent but not counted.
/// </summary>
internal static class HttpLoadCommand
{
    private const string AdminKey = "bench-admin-key";

    public static async Task<int> RunAsync(int connections, int batchSize, TimeSpan duration, TimeSpan warmup)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rb-bench-http", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var rules = BenchRules.Write(folder, customers: 1000);
            using var server = new ServerProcess(Path.Combine(folder, "billing.db"), rules, AdminKey, rateLimit: 10_000_000);
            await server.WaitUntilHealthyAsync();

            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections };
            using var client = new HttpClient(handler) { BaseAddress = server.Address };
            var key = await CreateTenantAsync(client);

            var start = Stopwatch.GetTimestamp();
            var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
            var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var workers = Enumerable.Range(0, connections).Select(c => Task.Run(() => WorkerAsync(client, key, c, batchSize, measureFrom, stopAt))).ToArray();
            var results = await Task.WhenAll(workers);

            var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
            var accepted = results.Sum(r => r.Accepted);
            var failures = results.Sum(r => r.Failures);
            Console.WriteLine(FormattableString.Invariant(
                $"| connections | batch | requests | accepted events | events/s | p50 | p99 | max | failed requests |"));
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine(FormattableString.Invariant(
                $"| {connections} | {batchSize} | {latencies.Length:N0} | {accepted:N0} | {accepted / duration.TotalSeconds:N0} | {Percentile(latencies, 0.50):0.0} ms | {Percentile(latencies, 0.99):0.0} ms | {latencies.LastOrDefault():0.0} ms | {failures} |"));
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> CreateTenantAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants") { Content = JsonContent.Create(new { id = BenchRules.Tenant }) };
        request.Headers.Add("X-Api-Key", AdminKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["apiKey"]!.GetValue<string>();
    }

    private static async Task<WorkerResult> WorkerAsync(HttpClient client, string key, int connection, int batchSize, long measureFrom, long stopAt)
    {
        var latencies = new List<double>();
        long accepted = 0;
        var failures = 0;
        var events = BenchTasks.Generate(seed: connection, long.MaxValue, customers: 1000, $"http-{connection}-").GetEnumerator();
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var batch = new List<BenchTask>(batchSize);
            while (batch.Count < batchSize && events.MoveNext()) batch.Add(events.Current);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
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

    private sealed record WorkerResult(List<double> Latencies, long Accepted, int Failures);
}
