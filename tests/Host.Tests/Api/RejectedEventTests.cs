using System.Net;
using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

public sealed class RejectedEventTests
{
    private const string Escalated =
        """{"specversion":"1.0","id":"x1","source":"agent","type":"ticket.escalated","subject":"cust-1","time":"2026-10-05T10:00:00Z","data":{"ticket_id":"T-9"}}""";

    [Fact]
    public async Task Rejected_events_are_kept_with_the_reason_and_replayed_once_the_rules_are_fixed()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        var globex = await server.TenantAsync("globex");

        var ingest = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events", EventTests.Batch(EventTests.Event("e1"), Escalated)));
        Assert.Equal(1, ingest["rejected"]!.GetValue<int>());

        var rejected = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/events/rejected"))).AsArray();
        var kept = Assert.Single(rejected)!;
        Assert.Equal("x1", kept["id"]!.GetValue<string>());
        Assert.Contains("unknown event type 'ticket.escalated'", kept["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Escalated, kept["event"]!.GetValue<string>());
        Assert.Empty((await ApiServer.ReadJsonAsync(await globex.GetAsync("/v1/events/rejected"))).AsArray());

        // Replaying under the same rules changes nothing but the attempt count.
        var stillRejected = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events/rejected/replay", null));
        Assert.Equal((0, 1), (stillRejected["accepted"]!.GetValue<int>(), stillRejected["rejected"]!.GetValue<int>()));
        Assert.Equal(2, (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/events/rejected")))[0]!["attempts"]!.GetValue<int>());

        var fixedRules = TestRules.Support + "\nevent ticket.escalated {\n  ticket_id: string\n}\n";
        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(fixedRules, "declare ticket.escalated"))).StatusCode);

        var replayed = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events/rejected/replay", null));
        Assert.Equal((1, 0), (replayed["accepted"]!.GetValue<int>(), replayed["rejected"]!.GetValue<int>()));
        Assert.Empty((await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/events/rejected"))).AsArray());

        // The replayed event is now stored: sending it again is a duplicate, not a second copy.
        var again = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events", EventTests.Single(Escalated)));
        Assert.Equal(1, again["duplicates"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_rejected_list_needs_a_key()
    {
        await using var server = await ApiServer.StartAsync();

        await ApiServer.AssertProblemAsync(await server.Client().GetAsync("/v1/events/rejected"), 401);
        await ApiServer.AssertProblemAsync(await server.Client().PostAsync("/v1/events/rejected/replay", null), 401);
    }
}
