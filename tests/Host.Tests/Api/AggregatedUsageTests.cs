using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

/// <summary>The usage API reports the aggregated quantity of an aggregated charge (docs/dsl-spec.md §9.12), as the preview line bills it.</summary>
public sealed class AggregatedUsageTests
{
    private const string Rules = """
        event storage.sampled {
          gb: decimal
        }
        outcome storage from storage.sampled {
          quantity gb
        }
        pricing peaks {
          charge storage {
            aggregate max per hour
            unit 1 USD
          }
        }
        contract peaks version 1 effective 2026-01-01 {
          customers default
          pricing peaks
          currency USD
        }
        """;

    private static string Sample(string id, string time, int gb) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"meter","type":"storage.sampled","subject":"cust-1","time":"{{{time}}}","data":{"gb":{{{gb}}}}}""";

    [Fact]
    public async Task Usage_reports_the_aggregated_quantity_and_buckets_the_preview_line_bills()
    {
        await using var server = await ApiServer.StartAsync();
        var client = await server.TenantAsync("acme");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(Rules))).StatusCode);
        var accepted = await ApiServer.ReadJsonAsync(await client.PostAsync("/v1/events", EventTests.Batch(
            Sample("s1", "2026-10-15T07:05:00Z", 8), Sample("s2", "2026-10-15T07:45:00Z", 4),
            Sample("s3", "2026-10-15T08:00:00Z", 10), Sample("s4", "2026-10-15T08:20:00Z", 5))));
        Assert.Equal(4, accepted["accepted"]!.GetValue<int>());

        var usage = await ApiServer.ReadJsonAsync(await client.GetAsync("/v1/customers/cust-1/usage?at=2026-10-20T00:00:00Z"));
        var storage = usage["outcomes"]!.AsArray().Single()!;
        // The plain tally still sums quantities; the aggregated entry is what the charge bills: 8 + 10.
        Assert.Equal("27", storage["billable"]!["quantity"]!.GetValue<string>());
        var aggregated = storage["aggregated"]!.AsArray().Single()!;
        Assert.Equal("max per hour", aggregated["aggregation"]!.GetValue<string>());
        Assert.Equal(18m, decimal.Parse(aggregated["billable"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(18m, decimal.Parse(aggregated["withPending"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(["8", "10"], aggregated["buckets"]!.AsArray().Select(b => b!["quantity"]!.GetValue<string>()));

        var preview = await ApiServer.ReadJsonAsync(await client.GetAsync("/v1/customers/cust-1/invoices/preview?at=2026-10-20T00:00:00Z"));
        var line = preview.ToJsonString();
        Assert.Contains("max per hour of 4 outcomes in 2 buckets", line);
        Assert.Empty(usage["errors"]!.AsArray());
    }
}
