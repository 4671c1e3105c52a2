using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

/// <summary>Threshold billing over HTTP on a real LiteDB file (docs/dsl-spec.md §10.9): check, finalize, restart.</summary>
public sealed class ThresholdInvoiceTests
{
    private static readonly string Rules = RulesWith("thresholds 100 USD, 250 USD then every 500 USD");

    /// <summary>A metered task plan (base 50 USD, 10 USD a unit) for customer acme with <paramref name="thresholds"/>.</summary>
    internal static string RulesWith(string thresholds) => $$"""
        event task.done {
          task_id: string
          units: integer
        }

        outcome task from task.done {
          key task_id
          quantity units
        }

        pricing metered {
          base 50 USD
          charge task {
            unit 10 USD
          }
        }

        contract plan version 1 effective 2026-01-01 {
          customers "acme"
          pricing metered
          {{thresholds}}
        }
        """;

    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static string Task(string id, string time, int units) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"agent","type":"task.done","subject":"acme","time":"{{{time}}}","data":{"task_id":"{{{id}}}","units":{{{units}}}}}""";

    [Fact]
    public async Task Threshold_invoices_are_issued_once_numbered_and_netted_by_the_period_invoice_across_a_restart()
    {
        var clock = new MovableClock(new DateTimeOffset(2026, 3, 25, 0, 0, 0, TimeSpan.Zero));
        await using var first = await ApiServer.StartAsync(startupRules: Rules, clock: clock);
        var client = await first.TenantAsync("t1");
        var ingest = await client.PostAsync("/v1/events", EventTests.Batch(
            Task("e1", "2026-03-02T10:00:00Z", 4), Task("e2", "2026-03-05T10:00:00Z", 7),
            Task("e3", "2026-03-09T10:00:00Z", 20), Task("e4", "2026-03-20T10:00:00Z", 10)));
        Assert.True(ingest.IsSuccessStatusCode, await ingest.Content.ReadAsStringAsync());

        var issued = (await ApiServer.ReadJsonAsync(await client.PostAsync("/v1/customers/acme/invoices/thresholds", null))).AsArray();
        Assert.Equal([("INV-000001", "threshold", "110.00", "100.00"), ("INV-000002", "threshold", "200.00", "250.00")],
            issued.Select(i => (i!["number"]!.GetValue<string>(), i["kind"]!.GetValue<string>(), i["total"]!.GetValue<string>(),
                i["threshold"]!["amounts"]![0]!.GetValue<string>())));
        Assert.Empty((await ApiServer.ReadJsonAsync(await client.PostAsync("/v1/customers/acme/invoices/thresholds", null))).AsArray());

        clock.Now = new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero);
        await using var second = await first.RestartAsync();
        var after = second.Client(client.DefaultRequestHeaders.Authorization!.Parameter);
        var period = await ApiServer.ReadJsonAsync(await after.PostAsJsonAsync("/v1/customers/acme/invoices/finalize", new { periodFrom = "2026-03-01T00:00:00Z" }));
        Assert.Equal(("INV-000003", "invoice", "150.00"), (period["number"]!.GetValue<string>(), period["kind"]!.GetValue<string>(), period["total"]!.GetValue<string>()));
        var credit = period["lines"]!.AsArray()[^1]!;
        Assert.Equal(("threshold-credit", "-310.00", "nets INV-000001 (110.00 USD), INV-000002 (200.00 USD)"),
            (credit["kind"]!.GetValue<string>(), credit["amount"]!.GetValue<string>(), credit["note"]!.GetValue<string>()));

        var stored = await ApiServer.ReadJsonAsync(await after.GetAsync("/v1/invoices/" + issued[0]!["id"]!.GetValue<string>()));
        Assert.Equal(issued[0]!.ToJsonString(), stored.ToJsonString());
        var all = (await ApiServer.ReadJsonAsync(await after.GetAsync("/v1/invoices?customer=acme"))).AsArray();
        Assert.Equal(460.00m, all.Sum(i => decimal.Parse(i!["total"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)));
    }
}
