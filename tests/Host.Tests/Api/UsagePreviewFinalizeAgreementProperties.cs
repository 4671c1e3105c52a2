using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RulesBilling.Host.Tests.Api;

/// <summary>One server for every generated case (each case is its own tenant).</summary>
public sealed class AgreementServer : IAsyncLifetime
{
    internal ApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Issue 13: the usage API, the invoice preview and the finalized invoice read one activity stage, so for any event
/// stream they agree line for line: per outcome, usage's billable count and quantity are the charge line's events and
/// quantity in preview and in the finalized invoice; usage's pending, reversed and excluded-by-reason counts are the
/// line's exclusions by reason; and the finalized lines are the previewed ones.
/// </summary>
public sealed class UsagePreviewFinalizeAgreementProperties(AgreementServer fixture) : IClassFixture<AgreementServer>
{
    private static int _tenants;

    private static readonly DateTimeOffset Start = new(2026, 2, 25, 0, 0, 0, TimeSpan.Zero);

    private static readonly Gen<string> OneEvent =
        from kind in Gen.Elements("resolved", "resolved", "resolved", "reopened", "llm")
        from hours in Gen.Choose(0, 40 * 24)
        from ticket in Gen.Elements("T-1", "T-2", "T-3", "T-4", "X-1")
        from tokens in Gen.Choose(0, 5000)
        select Json(kind, Start.AddHours(hours).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), ticket, tokens);

    private static readonly Gen<string[]> Streams =
        from count in Gen.Choose(1, 30)
        from events in OneEvent.ArrayOf(count)
        select events.Select((e, n) => e.Replace("\"id\":\"?\"", $"\"id\":\"e{n}\"", StringComparison.Ordinal)).ToArray();

    private static string Json(string kind, string time, string ticket, int tokens) => kind switch
    {
        "resolved" => $$$"""{"specversion":"1.0","id":"?","source":"agent","type":"ticket.resolved","subject":"cust-1","time":"{{{time}}}","data":{"ticket_id":"{{{ticket}}}"}}""",
        "reopened" => $$$"""{"specversion":"1.0","id":"?","source":"agent","type":"ticket.reopened","subject":"cust-1","time":"{{{time}}}","data":{"ticket":"{{{ticket}}}"}}""",
        _ => $$$"""{"specversion":"1.0","id":"?","source":"agent","type":"llm.usage","subject":"cust-1","time":"{{{time}}}","data":{"ticket_id":"{{{ticket}}}","tokens":{{{tokens}}}}}""",
    };

    [Property(MaxTest = 15)]
    public Property Usage_preview_and_finalize_agree_line_for_line() =>
        Prop.ForAll(Streams.ToArbitrary(), events => Agree(events).GetAwaiter().GetResult());

    private async Task<bool> Agree(string[] events)
    {
        var client = await fixture.Server.TenantAsync($"agree{Interlocked.Increment(ref _tenants)}");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.ForUsage))).StatusCode);
        var ingested = await ApiServer.ReadJsonAsync(await client.PostAsync("/v1/events", EventTests.Batch(events)));
        Assert.Equal(0, ingested["rejected"]!.GetValue<int>());

        // March 2026 is over: usage is as of the period end, which is what the invoice bills.
        var usage = await ApiServer.ReadJsonAsync(await client.GetAsync("/v1/customers/cust-1/usage?at=2026-03-15T00:00:00Z"));
        var preview = await ApiServer.ReadJsonAsync(await client.GetAsync("/v1/customers/cust-1/invoices/preview?at=2026-03-15T00:00:00Z"));
        Assert.Empty(preview["errors"]!.AsArray());
        var previewed = preview["invoices"]![0]!;
        var finalizing = await client.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-03-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, finalizing.StatusCode);
        var finalized = await ApiServer.ReadJsonAsync(finalizing);

        Assert.Equal(previewed["lines"]!.ToJsonString(), finalized["lines"]!.ToJsonString());
        Assert.Equal(previewed["subtotal"]!.GetValue<string>(), finalized["subtotal"]!.GetValue<string>());
        foreach (var outcome in usage["outcomes"]!.AsArray())
        {
            var name = outcome!["outcome"]!.GetValue<string>();
            var line = Assert.Single(finalized["lines"]!.AsArray(), l => l!["rule"]!.GetValue<string>() == name)!;
            var excluded = line["excluded"]!.AsArray().Select(x => x!["reason"]!.GetValue<string>()).ToList();
            Assert.Equal(outcome["billable"]!["count"]!.GetValue<int>(), line["events"]!.AsArray().Count);
            Assert.Equal(decimal.Parse(outcome["billable"]!["quantity"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                decimal.Parse(line["quantity"]!.GetValue<string>(), CultureInfo.InvariantCulture));
            // Pending outcomes are listed as pending on the line (with when they become billable), not as exclusions.
            Assert.Equal(outcome["pending"]!["count"]!.GetValue<int>(), line["pending"]!.AsArray().Count);
            Assert.DoesNotContain("pending-validation-window", excluded);
            Assert.Equal(outcome["reversed"]!["count"]!.GetValue<int>(), excluded.Count(r => r == "reversed-within-window"));
            var byReason = outcome["excludedByReason"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>());
            var lineByReason = excluded.Where(r => r is not ("pending-validation-window" or "reversed-within-window"))
                .GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(lineByReason.OrderBy(p => p.Key, StringComparer.Ordinal), byReason.OrderBy(p => p.Key, StringComparer.Ordinal));
        }
        Assert.Equal(usage["outcomes"]!.AsArray().Count, finalized["lines"]!.AsArray().Count(l => l!["kind"]!.GetValue<string>() == "charge"));
        return true;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task Usage_of_the_open_period_places_outcomes_where_its_invoice_bills_them()
    {
        // T-1 happens on March 30 and becomes billable on April 2 (72h hold), when April is open and it is April 1.
        await using var server = await ApiServer.StartAsync(clock: new FixedClock(new DateTimeOffset(2026, 4, 1, 12, 0, 0, TimeSpan.Zero)));
        var client = await server.TenantAsync("open");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.ForUsage))).StatusCode);
        await client.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event("e1", ticket: "T-1", time: "2026-03-30T12:00:00Z"),
            EventTests.Event("e2", ticket: "T-2", time: "2026-04-01T08:00:00Z")));

        var april = await ApiServer.ReadJsonAsync(await client.GetAsync("/v1/customers/cust-1/usage"));
        var preview = await ApiServer.ReadJsonAsync(await client.GetAsync("/v1/customers/cust-1/invoices/preview"));

        var resolved = april["outcomes"]!.AsArray().Single(o => o!["outcome"]!.GetValue<string>() == "resolved")!;
        // Both are pending now and both will be billed on April's invoice (which previews as of April's end).
        Assert.Equal((0, 2), (resolved["billable"]!["count"]!.GetValue<int>(), resolved["pending"]!["count"]!.GetValue<int>()));
        var line = preview["invoices"]![0]!["lines"]!.AsArray().Single(l => l!["rule"]!.GetValue<string>() == "resolved")!;
        Assert.Equal(["agent/e1", "agent/e2"], line["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        var listed = await ApiServer.ReadJsonAsync(await client.GetAsync("/v1/customers/cust-1/outcomes?outcome=resolved"));
        Assert.Equal([("T-1", "pending"), ("T-2", "pending")],
            listed["outcomes"]!.AsArray().Select(o => (o!["key"]!.GetValue<string>(), o["state"]!.GetValue<string>())));

        // March's usage still explains T-1 where it happened: pending at March's end, as March's invoice shows it.
        var march = await ApiServer.ReadJsonAsync(await client.GetAsync("/v1/customers/cust-1/usage?at=2026-03-15T00:00:00Z"));
        var inMarch = march["outcomes"]!.AsArray().Single(o => o!["outcome"]!.GetValue<string>() == "resolved")!;
        Assert.Equal((0, 1), (inMarch["billable"]!["count"]!.GetValue<int>(), inMarch["pending"]!["count"]!.GetValue<int>()));
    }
}
