using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using RulesBilling.Benchmarks.Http;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Benchmarks.Reads;

/// <summary>
/// <c>reads</c>: per size, one customer with N <c>support.ticket.closed</c> events in the current month, in a fresh
/// LiteDB file (ingested in process with <see cref="EventIngestor"/>, so the outcome state and totals are kept as over
/// HTTP); then <c>rulesbilling serve</c> on 127.0.0.1 over that file with pricing-rules/support_agent.rules, and
/// sequential requests for the invoice preview, the usage and an entitlement check (the metered <c>resolutions</c>
/// feature, window = the billing period). Reports p50/p99 per endpoint; each endpoint gets up to
/// <c>--requests</c> measured requests (at least 3), or fewer when they exceed the time budget; preview and usage only
/// up to <c>--full-up-to</c> events.
/// </summary>
internal static class ReadsCommand
{
    private const string AdminKey = "bench-admin-key";
    private const string Rules = "pricing-rules/support_agent.rules";
    private const string Customer = "acme";

    public static async Task<int> RunAsync(IReadOnlyList<int> sizes, int requests, TimeSpan budget, int fullUpTo)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText(Rules, File.ReadAllText(Rules))]);
        var rules = compilation.RuleSet ?? throw new InvalidOperationException($"{Rules} does not compile; run from the repository root");
        var now = DateTimeOffset.UtcNow;
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        Console.WriteLine(FormattableString.Invariant(
            $"one customer, events spread over {monthStart:yyyy-MM-dd}..now; up to {requests} requests per endpoint (budget {budget.TotalSeconds} s); load average at start {Load()}"));
        Console.WriteLine("| events | ingest (in process) | endpoint | requests | p50 | p99 | max | response bytes |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var folder = Path.Combine(Path.GetTempPath(), "rb-bench-reads", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var db = Path.Combine(folder, "billing.db");
                var ingest = Stopwatch.StartNew();
                using (var store = new LiteDbBillingStore(db))
                {
                    var ingestor = new EventIngestor(store, TimeProvider.System);
                    foreach (var batch in Events(size, monthStart, now).Chunk(1000))
                    {
                        var result = ingestor.Ingest("bench", "[" + string.Join(",", batch) + "]", rules);
                        if (result.Error is not null) throw new InvalidOperationException(result.Error);
                    }
                }
                ingest.Stop();

                using var server = new ServerProcess(db, Rules, AdminKey, rateLimit: 100_000_000);
                await server.WaitUntilHealthyAsync();
                using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(10) };
                var key = await CreateTenantAsync(client);
                client.DefaultRequestHeaders.Add("X-Api-Key", key);

                var endpoints = new (string Name, Func<HttpRequestMessage> Request)[]
                {
                    ("entitlement check", () => new HttpRequestMessage(HttpMethod.Post, $"/v1/customers/{Customer}/entitlements/resolutions/check")
                        { Content = JsonContent.Create(new { quantity = 1 }) }),
                    ("usage", () => new HttpRequestMessage(HttpMethod.Get, $"/v1/customers/{Customer}/usage")),
                    ("preview", () => new HttpRequestMessage(HttpMethod.Get, $"/v1/customers/{Customer}/invoices/preview")),
                };
                // Preview and usage of a large customer take minutes each today; --full-up-to skips them above that size.
                foreach (var (name, request) in endpoints.Where(e => size <= fullUpTo || e.Name == "entitlement check"))
                {
                    var (latencies, bytes) = await MeasureAsync(client, request, requests, budget);
                    Console.WriteLine(FormattableString.Invariant(
                        $"| {size:N0} | {ingest.Elapsed.TotalSeconds:0.0} s | {name} | {latencies.Length} | {Percentile(latencies, 0.50):0.0} ms | {Percentile(latencies, 0.99):0.0} ms | {latencies[^1]:0.0} ms | {bytes:N0} |"));
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        Console.WriteLine($"load average at end {Load()}");
        return 0;
    }

    /// <summary>Two warm-up requests (not counted), then sequential requests until the count or the time budget is reached.</summary>
    private static async Task<(double[] Latencies, long Bytes)> MeasureAsync(HttpClient client, Func<HttpRequestMessage> request, int count, TimeSpan budget)
    {
        long bytes = 0;
        for (var i = 0; i < 2; i++) bytes = await SendAsync(client, request());
        var latencies = new List<double>();
        var stopAt = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        while (latencies.Count < count && (latencies.Count < 3 || Stopwatch.GetTimestamp() < stopAt))
        {
            var sent = Stopwatch.GetTimestamp();
            await SendAsync(client, request());
            latencies.Add((Stopwatch.GetTimestamp() - sent) * 1000.0 / Stopwatch.Frequency);
        }
        return ([.. latencies.Order()], bytes);
    }

    private static async Task<long> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
            return body.Length;
        }
    }

    /// <summary>N closed tickets of one customer between the month's start and now, fixed seed; each its own key group.</summary>
    private static IEnumerable<string> Events(int count, DateTimeOffset from, DateTimeOffset to)
    {
        var random = new Random(11);
        string[] statuses = ["closed", "closed", "closed", "pending", "solved_by_human"];
        string[] channels = ["Email", "chat", "Voice"];
        string[] priorities = ["low", "normal", "high", "urgent"];
        var span = (long)(to - from).TotalSeconds - 60;
        var line = new StringBuilder(300);
        for (var i = 0; i < count; i++)
        {
            var time = from.AddSeconds(span * i / count);
            line.Clear()
                .Append(CultureInfo.InvariantCulture, $"{{\"specversion\":\"1.0\",\"id\":\"evt-{i:D8}\",\"source\":\"bench\",\"type\":\"support.ticket.closed\",")
                .Append(CultureInfo.InvariantCulture, $"\"subject\":\"{Customer}\",\"time\":\"{time:yyyy-MM-dd'T'HH:mm:ss'Z'}\",\"data\":{{")
                .Append(CultureInfo.InvariantCulture, $"\"ticket_id\":\"T{i:D8}\",\"status\":\"{statuses[random.Next(statuses.Length)]}\",\"channel\":\"{channels[random.Next(channels.Length)]}\",")
                .Append(CultureInfo.InvariantCulture, $"\"handle_time\":{random.Next(30, 3600)},\"escalated\":{(random.NextDouble() < 0.1 ? "true" : "false")}");
            if (random.NextDouble() < 0.7) line.Append(CultureInfo.InvariantCulture, $",\"csat\":{random.Next(1, 6)}");
            if (random.NextDouble() < 0.5) line.Append(CultureInfo.InvariantCulture, $",\"priority\":\"{priorities[random.Next(priorities.Length)]}\"");
            yield return line.Append("}}").ToString();
        }
    }

    private static async Task<string> CreateTenantAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants") { Content = JsonContent.Create(new { id = "bench" }) };
        request.Headers.Add("X-Api-Key", AdminKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["apiKey"]!.GetValue<string>();
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
