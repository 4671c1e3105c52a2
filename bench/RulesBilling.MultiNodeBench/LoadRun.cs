using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace RulesBilling.MultiNodeBench;

internal sealed record LoadResult(int Requests, long Accepted, double EventsPerSecond, double P50, double P99, int Failures);

/// <summary>
/// Posts batches of distinct events from <see cref="Options.Connections"/> concurrent loops, spread round-robin over
/// the nodes (as a load balancer would), for the warm-up (not counted) and then the measured time. Counts the events
/// the servers answered as accepted.
/// </summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(IReadOnlyList<Uri> nodes, Options options)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var key = await CreateTenantAsync(client, nodes[0]);

        var measureFrom = Stopwatch.GetTimestamp() + (long)(options.Warmup * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(options.Seconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, options.Connections)
            .Select(c => Task.Run(() => LoopAsync(client, nodes[c % nodes.Count], key, c, options.Batch, options.Customers, measureFrom, stopAt)))
            .ToArray();
        var results = await Task.WhenAll(loops);
        var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
        var accepted = results.Sum(r => r.Accepted);
        return new LoadResult(latencies.Length, accepted, accepted / options.Seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99),
            results.Sum(r => r.Failures));
    }

    private static async Task<string> CreateTenantAsync(HttpClient client, Uri node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, "/v1/tenants")) { Content = JsonContent.Create(new { id = "bench" }) };
        request.Headers.Add("X-Api-Key", ServeNode.AdminKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["apiKey"]!.GetValue<string>();
    }

    private static async Task<(List<double> Latencies, long Accepted, int Failures)> LoopAsync(
        HttpClient client, Uri node, string key, int loop, int batchSize, int customers, long measureFrom, long stopAt)
    {
        var latencies = new List<double>();
        long accepted = 0;
        var failures = 0;
        var next = 0L;
        var events = new Uri(node, "/v1/events");
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var body = new StringBuilder("[");
            for (var i = 0; i < batchSize; i++, next++)
            {
                if (i > 0) body.Append(',');
                body.Append(CultureInfo.InvariantCulture,
                    $$$"""{"specversion":"1.0","id":"l{{{loop}}}-{{{next}}}","source":"bench","type":"ticket.resolved","subject":"c-{{{next % customers}}}","time":"2026-10-{{{1 + next % 28:00}}}T10:00:00Z","data":{"ticket_id":"l{{{loop}}}-T{{{next}}}"}}""");
            }
            body.Append(']');
            using var request = new HttpRequestMessage(HttpMethod.Post, events)
            {
                Content = new StringContent(body.ToString(), Encoding.UTF8, "application/cloudevents-batch+json"),
            };
            request.Headers.Add("X-Api-Key", key);
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                var measured = sent >= measureFrom;
                if (!response.IsSuccessStatusCode)
                {
                    if (measured) failures++;
                    continue;
                }
                if (!measured) continue;
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                accepted += JsonNode.Parse(answer)!["accepted"]!.GetValue<int>();
            }
            catch (HttpRequestException)
            {
                if (sent >= measureFrom) failures++;
            }
        }
        return (latencies, accepted, failures);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
