using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RulesBilling.Host.Tests.Reliability;

namespace RulesBilling.Host.Tests.Api;

/// <summary>
/// The background threshold check of <c>serve</c> (docs/dsl-spec.md §10.9.3), end to end: a real server process on
/// 127.0.0.1 over a LiteDB file, events ingested over HTTP, and the threshold invoice appearing in the invoice list
/// without anyone calling the thresholds endpoint.
/// </summary>
public sealed class ThresholdWorkerProcessTests
{
    private static readonly string Rules = ThresholdInvoiceTests.RulesWith("thresholds 100 USD then every 1000 USD");

    private static string Task(string id, DateTimeOffset time, int units, string customer = "acme") =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"agent","type":"task.done","subject":"{{{customer}}}","time":"{{{time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}}","data":{"task_id":"{{{id}}}","units":{{{units}}}}}""";

    [Fact]
    public async Task The_serve_worker_issues_the_threshold_invoice_once_events_cross_it_and_passes_over_customers_without_a_contract()
    {
        await using var server = new ServeProcess(Rules, "--threshold-interval", "0.5", "--sync-interval", "0");
        await server.StartAsync();
        var key = await server.CreateTenantAsync("t1");
        using var client = server.Client(key);

        // Event times just before now: inside the open period (a month starts at most a minute ago only on its first minute).
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        if (at.Month != DateTimeOffset.UtcNow.Month) at = DateTimeOffset.UtcNow.AddSeconds(-1);
        // A customer no contract governs has activity too: it has no thresholds, so the worker skips it without a warning.
        var stranger = await client.PostAsync("/v1/events", Batch(Task("s1", at, 30, "stranger")));
        Assert.True(stranger.IsSuccessStatusCode, await stranger.Content.ReadAsStringAsync());
        var first = await client.PostAsync("/v1/events", Batch(Task("e1", at, 4)));
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        // 40 USD: below the threshold. Then 7 more units: 110 USD, threshold 100 reached.
        var second = await client.PostAsync("/v1/events", Batch(Task("e2", at.AddSeconds(1), 7)));
        Assert.True(second.IsSuccessStatusCode, await second.Content.ReadAsStringAsync());

        JsonArray? invoices = null;
        // Bounded: about 60 s for a pass on a loaded machine; no timing is asserted.
        for (var attempt = 0; attempt < 240; attempt++)
        {
            var response = await client.GetAsync("/v1/invoices?customer=acme");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            invoices = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
            if (invoices.Count > 0) break;
            await System.Threading.Tasks.Task.Delay(250);
        }

        var invoice = Assert.Single(invoices!)!;
        Assert.Equal(("threshold", "finalized", "INV-000001", "110.00"),
            (invoice["kind"]!.GetValue<string>(), invoice["status"]!.GetValue<string>(), invoice["number"]!.GetValue<string>(), invoice["total"]!.GetValue<string>()));
        Assert.Equal("100.00", invoice["threshold"]!["amounts"]![0]!.GetValue<string>());
        Assert.Contains("Threshold invoice", server.Output, StringComparison.Ordinal);

        // Later passes find nothing more to issue: the next threshold (1,100 USD) is far off.
        await System.Threading.Tasks.Task.Delay(1500);
        var again = JsonNode.Parse(await (await client.GetAsync("/v1/invoices?customer=acme")).Content.ReadAsStringAsync())!.AsArray();
        Assert.Single(again);
        // By now passes have read the stranger's change (it came before acme's): checked quietly, no warning logged.
        Assert.DoesNotContain("t1/stranger", server.Output, StringComparison.Ordinal);
        Assert.Empty(JsonNode.Parse(await (await client.GetAsync("/v1/invoices?customer=stranger")).Content.ReadAsStringAsync())!.AsArray());
    }

    private static StringContent Batch(params string[] events) =>
        new("[" + string.Join(",", events) + "]", Encoding.UTF8, "application/cloudevents-batch+json");
}
