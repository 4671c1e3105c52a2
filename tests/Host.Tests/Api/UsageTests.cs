using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RulesBilling.Host.Tests.Api;

public sealed class UsageTests
{
    private static string Reopened(string id, string ticket, string time) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"agent","type":"ticket.reopened","subject":"cust-1","time":"{{{time}}}","data":{"ticket":"{{{ticket}}}"}}""";

    private static string Llm(string id, string ticket, int tokens, string time) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"agent","type":"llm.usage","subject":"cust-1","time":"{{{time}}}","data":{"ticket_id":"{{{ticket}}}","tokens":{{{tokens}}}}}""";

    /// <summary>
    /// October 2026 for cust-1: T-1 billable (with a duplicate), T-2 reversed inside its window, X-9 failing the
    /// condition, T-3 whose window closes after the period end (pending there), one LLM call of 12,000 tokens.
    /// </summary>
    private static async Task<HttpClient> TenantWithOctoberAsync(ApiServer server, string tenant = "acme")
    {
        var client = await server.TenantAsync(tenant);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.ForUsage))).StatusCode);
        var body = await ApiServer.ReadJsonAsync(await client.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event("e1", ticket: "T-1", time: "2026-10-05T10:00:00Z"),
            EventTests.Event("e2", ticket: "T-1", time: "2026-10-06T10:00:00Z"),
            EventTests.Event("e3", ticket: "T-2", time: "2026-10-10T10:00:00Z"),
            Reopened("r1", "T-2", "2026-10-11T10:00:00Z"),
            EventTests.Event("e4", ticket: "X-9", time: "2026-10-12T10:00:00Z"),
            EventTests.Event("e5", ticket: "T-3", time: "2026-10-30T10:00:00Z"),
            Llm("u1", "T-1", 12000, "2026-10-05T09:00:00Z"))));
        Assert.Equal(7, body["accepted"]!.GetValue<int>());
        return client;
    }

    private static (int, string) Tally(JsonNode tally) => (tally["count"]!.GetValue<int>(), tally["quantity"]!.GetValue<string>());

    [Fact]
    public async Task Usage_counts_each_outcome_by_state_with_exclusions_and_costs()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithOctoberAsync(server);

        var usage = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/usage?at=2026-10-15T00:00:00Z"));

        Assert.Equal(("cust-1", "standard"), (usage["customer"]!.GetValue<string>(), usage["contract"]!.GetValue<string>()));
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), usage["periodFrom"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), usage["periodTo"]!.GetValue<DateTimeOffset>());
        // The period is over, so outcomes are judged as of its end.
        Assert.Equal(usage["periodTo"]!.GetValue<DateTimeOffset>(), usage["asOf"]!.GetValue<DateTimeOffset>());
        var outcomes = usage["outcomes"]!.AsArray();
        Assert.Equal(["llm_call", "resolved"], outcomes.Select(o => o!["outcome"]!.GetValue<string>()));
        var resolved = outcomes[1]!;
        Assert.Equal((1, "1"), Tally(resolved["billable"]!));
        Assert.Equal((1, "1"), Tally(resolved["pending"]!));
        Assert.Equal((1, "1"), Tally(resolved["reversed"]!));
        Assert.Equal(2, resolved["excluded"]!.GetValue<int>());
        Assert.Equal(1, resolved["excludedByReason"]!["duplicate-key"]!.GetValue<int>());
        Assert.Equal(1, resolved["excludedByReason"]!["failed-condition"]!.GetValue<int>());
        Assert.Equal((1, "12"), Tally(outcomes[0]!["billable"]!));
        var cost = Assert.Single(usage["costs"]!.AsArray())!;
        Assert.Equal(("resolved", "USD", 0.024m, 1),
            (cost["outcome"]!.GetValue<string>(), cost["currency"]!.GetValue<string>(),
             decimal.Parse(cost["amount"]!.GetValue<string>(), CultureInfo.InvariantCulture), cost["events"]!.GetValue<int>()));
        Assert.Empty(usage["errors"]!.AsArray());
    }

    [Fact]
    public async Task Usage_defaults_to_the_current_period_as_of_now()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        await acme.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.ForUsage));
        var now = DateTimeOffset.UtcNow;
        var justNow = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddSeconds(-1);
        var recent = EventTests.Event("now1", customer: "cust-now", ticket: "T-NOW", time: justNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Assert.Equal(1, (await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events", EventTests.Single(recent))))["accepted"]!.GetValue<int>());

        var usage = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-now/usage"));

        Assert.Equal(new DateTimeOffset(justNow.Year, justNow.Month, 1, 0, 0, 0, TimeSpan.Zero), usage["periodFrom"]!.GetValue<DateTimeOffset>());
        Assert.True(usage["asOf"]!.GetValue<DateTimeOffset>() >= justNow);
        var resolved = usage["outcomes"]!.AsArray().Single(o => o!["outcome"]!.GetValue<string>() == "resolved")!;
        // Its 72h validation window is still open: pending, nothing billable yet.
        Assert.Equal((1, "1"), Tally(resolved["pending"]!));
        Assert.Equal((0, "0"), Tally(resolved["billable"]!));
        var list = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-now/outcomes"));
        Assert.Equal([("T-NOW", "pending")], list["outcomes"]!.AsArray().Select(o => (o!["key"]!.GetValue<string>(), o["state"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Outcomes_of_the_period_are_listed_and_filtered()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithOctoberAsync(server);

        var list = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/outcomes?at=2026-10-15T00:00:00Z&outcome=resolved"));
        var outcomes = list["outcomes"]!.AsArray();
        Assert.Equal([("T-1", "billable"), ("T-2", "reversed"), ("T-3", "pending")],
            outcomes.Select(o => (o!["key"]!.GetValue<string>(), o["state"]!.GetValue<string>())));
        var first = outcomes[0]!;
        Assert.Equal("agent/e1", first["event"]!.GetValue<string>());
        Assert.Equal(["agent/e2"], first["duplicates"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 10, 0, 0, TimeSpan.Zero), first["billableAt"]!.GetValue<DateTimeOffset>());

        var reversed = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/outcomes?at=2026-10-15T00:00:00Z&state=reversed")))["outcomes"]!.AsArray();
        var only = Assert.Single(reversed)!;
        Assert.Equal(("T-2", "agent/r1"), (only["key"]!.GetValue<string>(), only["reversedBy"]!.GetValue<string>()));
        var bad = await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers/cust-1/outcomes?state=maybe"), 400);
        Assert.Contains("'state'", bad["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_events_behind_one_outcome_are_shown_with_their_roles_and_data()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithOctoberAsync(server);

        var t1 = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/outcomes/resolved/T-1"));
        var instance = Assert.Single(t1["instances"]!.AsArray())!;
        Assert.Equal("billable", instance["outcome"]!["state"]!.GetValue<string>());
        Assert.Equal([("counted", "e1"), ("duplicate", "e2")],
            instance["events"]!.AsArray().Select(e => (e!["role"]!.GetValue<string>(), e["id"]!.GetValue<string>())));
        Assert.Equal("T-1", instance["events"]![0]!["data"]!["ticket_id"]!.GetValue<string>());

        var t2 = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/outcomes/resolved/T-2"));
        var reversal = t2["instances"]![0]!["events"]!.AsArray().Single(e => e!["role"]!.GetValue<string>() == "reversal")!;
        Assert.Equal(("r1", "ticket.reopened"), (reversal["id"]!.GetValue<string>(), reversal["type"]!.GetValue<string>()));

        // Without a key an outcome is keyed "source/id", which the route takes as it is.
        var call = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/outcomes/llm_call/agent/u1"));
        Assert.Equal("agent/u1", call["key"]!.GetValue<string>());
        Assert.Equal("12", call["instances"]![0]!["outcome"]!["quantity"]!.GetValue<string>());

        var missing = await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers/cust-1/outcomes/resolved/T-404"), 404);
        Assert.Contains("T-404", missing["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var unknown = await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers/cust-1/outcomes/nope/T-1"), 404);
        Assert.Contains("outcomes: llm_call, resolved", unknown["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_of_unknown_customers_or_ungoverned_times_are_problems()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithOctoberAsync(server);

        await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers/nobody/usage"), 404);
        await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers/nobody/outcomes"), 404);
        await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers/nobody/outcomes/resolved/T-1"), 404);
        var before = await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers/cust-1/usage?at=2025-06-01T00:00:00Z"), 422);
        Assert.Contains("No contract governs", before["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_and_outcomes_of_one_tenant_are_invisible_to_another()
    {
        await using var server = await ApiServer.StartAsync();
        await TenantWithOctoberAsync(server, "acme");
        var globex = await server.TenantAsync("globex");

        await ApiServer.AssertProblemAsync(await globex.GetAsync("/v1/customers/cust-1/usage?at=2026-10-15T00:00:00Z"), 404);
        await ApiServer.AssertProblemAsync(await globex.GetAsync("/v1/customers/cust-1/outcomes?at=2026-10-15T00:00:00Z"), 404);
        await ApiServer.AssertProblemAsync(await globex.GetAsync("/v1/customers/cust-1/outcomes/resolved/T-1"), 404);
        // Once globex has its own cust-1, it sees only its own events.
        await globex.PostAsync("/v1/events", EventTests.Single(EventTests.Event("g1", ticket: "G-1")));
        var usage = await ApiServer.ReadJsonAsync(await globex.GetAsync("/v1/customers/cust-1/usage?at=2026-10-15T00:00:00Z"));
        var resolved = Assert.Single(usage["outcomes"]!.AsArray())!;
        Assert.Equal((1, "1"), Tally(resolved["billable"]!));
        await ApiServer.AssertProblemAsync(await globex.GetAsync("/v1/customers/cust-1/outcomes/resolved/T-1"), 404);
    }
}
