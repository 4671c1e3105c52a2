using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RulesBilling.Host.Tests.Api;

/// <summary>
/// A preview line with more than 1,000 counted events shows the first 1,000 and an <c>eventLists</c> summary; the
/// drill-down pages the rest, and the pages together are exactly the finalized invoice's line, in its order.
/// </summary>
public sealed class PreviewLineEventsTests
{
    private const string At = "2026-10-15T00:00:00Z";

    private static async Task IngestAsync(HttpClient acme, int tickets, int repeats)
    {
        var events = Enumerable.Range(0, tickets)
            .Select(i => EventTests.Event($"e{i:D5}", ticket: $"T-{i:D5}", time: $"2026-10-{1 + i % 28:D2}T{i % 24:D2}:00:00Z"))
            .Concat(Enumerable.Range(0, repeats).Select(i => EventTests.Event($"r{i:D5}", ticket: $"T-{i:D5}", time: "2026-10-29T12:00:00Z")))
            .ToList();
        foreach (var batch in events.Chunk(1000))
        {
            var response = await acme.PostAsync("/v1/events", EventTests.Batch(batch));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_large_line_is_summarised_and_its_pages_are_the_finalized_lines_events()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        await IngestAsync(acme, tickets: 2_200, repeats: 30);

        var preview = await ApiServer.ReadJsonAsync(await acme.GetAsync($"/v1/customers/cust-1/invoices/preview?at={At}"));
        var line = preview["invoices"]![0]!["lines"]!.AsArray().Single(l => l!["rule"]!.GetValue<string>() == "resolved")!;
        Assert.Equal("2200", line["quantity"]!.GetValue<string>());
        Assert.Equal(1000, line["events"]!.AsArray().Count);
        var lists = line["eventLists"]!;
        Assert.Equal(1000, lists["limit"]!.GetValue<int>());
        Assert.Equal(2200, lists["events"]!["total"]!.GetValue<int>());
        Assert.Equal(1000, lists["events"]!["shown"]!.GetValue<int>());
        var excludedTotal = lists["excluded"]!["total"]!.GetValue<int>();
        Assert.Equal(excludedTotal, line["excluded"]!.AsArray().Count);
        Assert.Equal(excludedTotal, lists["excludedByReason"]!.AsObject().Sum(r => r.Value!.GetValue<int>()));
        Assert.Null(lists["excluded"]!["next"]);

        // Page on from the preview's own 'next', 700 at a time; then the first page without a cursor.
        var ids = line["events"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        var next = lists["events"]!["next"]!.GetValue<string>();
        var pages = 0;
        while (next is not null)
        {
            var page = await ApiServer.ReadJsonAsync(await acme.GetAsync(next + "&limit=700"));
            Assert.Equal("events", page["list"]!.GetValue<string>());
            Assert.Equal(2200, page["total"]!.GetValue<int>());
            Assert.Equal("resolved", page["rule"]!.GetValue<string>());
            ids.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            next = page["next"]?.GetValue<string>();
            pages++;
        }
        Assert.Equal(2, pages);
        var lineId = line["id"]!.GetValue<string>();
        var first = await ApiServer.ReadJsonAsync(await acme.GetAsync($"/v1/customers/cust-1/invoices/preview/lines/{lineId}/events?at={At}&list=excluded"));
        Assert.Equal(excludedTotal, first["items"]!.AsArray().Count);
        Assert.All(first["items"]!.AsArray(), i => Assert.False(string.IsNullOrEmpty(i!["reason"]!.GetValue<string>())));
        Assert.Null(first["next"]);

        var finalized = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }));
        var invoiced = finalized["lines"]!.AsArray().Single(l => l!["rule"]!.GetValue<string>() == "resolved")!;
        Assert.Null(invoiced["eventLists"]);
        Assert.Equal(invoiced["events"]!.AsArray().Select(e => e!.GetValue<string>()), ids);
        Assert.Equal(lineId, invoiced["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_small_preview_has_no_summary_and_bad_requests_are_problems()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        await IngestAsync(acme, tickets: 12, repeats: 0);
        var preview = await ApiServer.ReadJsonAsync(await acme.GetAsync($"/v1/customers/cust-1/invoices/preview?at={At}"));
        var line = preview["invoices"]![0]!["lines"]![0]!;
        Assert.Null(line["eventLists"]);
        Assert.Equal(12, line["events"]!.AsArray().Count);
        var path = $"/v1/customers/cust-1/invoices/preview/lines/{line["id"]!.GetValue<string>()}/events?at={At}";

        var all = await ApiServer.ReadJsonAsync(await acme.GetAsync(path + "&limit=5"));
        Assert.Equal(5, all["items"]!.AsArray().Count);
        var cursor = all["next"]!.GetValue<string>().Split("cursor=")[1].Split('&')[0];

        await AssertProblemAsync(await acme.GetAsync(path + "&cursor=not-a-cursor"), HttpStatusCode.BadRequest, "'cursor' is not a cursor");
        await AssertProblemAsync(await acme.GetAsync(path + "&list=pending&cursor=" + cursor), HttpStatusCode.BadRequest, "continues the 'events' list");
        await AssertProblemAsync(await acme.GetAsync(path + "&list=everything"), HttpStatusCode.BadRequest, "'list' must be one of");
        await AssertProblemAsync(await acme.GetAsync(path + "&limit=0"), HttpStatusCode.BadRequest, "'limit' must be between 1 and 1000");
        // A well-formed cursor whose entry is no longer in the list: the preview changed under it.
        var gone = Convert.ToBase64String("events\n3\nagent/gone"u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await AssertProblemAsync(await acme.GetAsync(path + "&cursor=" + gone), HttpStatusCode.Conflict, "is no longer in the line's 'events' list");
        await AssertProblemAsync(await acme.GetAsync($"/v1/customers/cust-1/invoices/preview/lines/no-such-line/events?at={At}"),
            HttpStatusCode.NotFound, "has no line 'no-such-line'");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.Contains(detail, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
