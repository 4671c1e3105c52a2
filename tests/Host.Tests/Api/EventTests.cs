using System.Net;
using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

public sealed class EventTests
{
    internal static string Event(string id, string customer = "cust-1", string ticket = "T-1", string time = "2026-10-05T10:00:00Z") =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"agent","type":"ticket.resolved","subject":"{{{customer}}}","time":"{{{time}}}","data":{"ticket_id":"{{{ticket}}}"}}""";

    internal static StringContent Single(string json) => ApiServer.Json(json, "application/cloudevents+json");

    internal static StringContent Batch(params string[] events) => ApiServer.Json("[" + string.Join(",", events) + "]", "application/cloudevents-batch+json");

    [Fact]
    public async Task A_single_event_is_accepted_once_and_then_reported_duplicate()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");

        var first = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events", Single(Event("e1"))));
        Assert.Equal("1", first["accepted"]!.ToString());
        var again = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events", Single(Event("e1"))));
        Assert.Equal("0", again["accepted"]!.ToString());
        Assert.Equal("1", again["duplicates"]!.ToString());
        Assert.Equal("duplicate", again["events"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_reports_counts_and_the_reason_of_each_rejection()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        var wrongField = """{"specversion":"1.0","id":"e3","source":"agent","type":"ticket.resolved","subject":"cust-1","time":"2026-10-05T10:00:00Z","data":{"ticket_id":5}}""";

        var response = await acme.PostAsync("/v1/events", Batch(Event("e1"), Event("e2", ticket: "T-2"), wrongField, Event("e1")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiServer.ReadJsonAsync(response);
        Assert.Equal(2, body["accepted"]!.GetValue<int>());
        Assert.Equal(1, body["duplicates"]!.GetValue<int>());
        Assert.Equal(1, body["rejected"]!.GetValue<int>());
        var rejected = body["events"]!.AsArray().Single(e => e!["status"]!.GetValue<string>() == "rejected")!;
        Assert.Equal("e3", rejected["id"]!.GetValue<string>());
        Assert.Contains("ticket_id", rejected["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_rejected_event_is_422_problem_with_its_reason()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        var unknownType = """{"specversion":"1.0","id":"x","source":"agent","type":"no.such","subject":"cust-1","time":"2026-10-05T10:00:00Z","data":{}}""";

        var problem = await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/events", Single(unknownType)), 422);
        Assert.Contains("no.such", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_event_requests_are_problems_and_store_nothing()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");

        await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/events", Single("{\"id\": ")), 400);
        await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/events", ApiServer.Json(Event("e1"))), 415);
        await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/events", Single("[" + Event("e1") + "]")), 400);
        var tooMany = Enumerable.Range(0, 1001).Select(i => Event("b" + i)).ToArray();
        var large = await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/events", Batch(tooMany)), 400);
        Assert.Contains("maximum is 1000", large["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // Nothing was stored: the event is accepted (not a duplicate) when it finally arrives correctly.
        var ok = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events", Single(Event("e1"))));
        Assert.Equal(1, ok["accepted"]!.GetValue<int>());
    }

    [Fact]
    public async Task Events_are_scoped_to_the_tenant()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        var globex = await server.TenantAsync("globex");

        await acme.PostAsync("/v1/events", Single(Event("e1")));
        // The same (source, id) in another tenant is a different event, not a duplicate.
        var other = await ApiServer.ReadJsonAsync(await globex.PostAsync("/v1/events", Single(Event("e1"))));
        Assert.Equal(1, other["accepted"]!.GetValue<int>());
        // And acme's customer is unknown to globex's invoices unless globex has events for it.
        await ApiServer.AssertProblemAsync(await globex.GetAsync("/v1/customers/cust-2/invoices/preview"), 404);
    }

    [Fact]
    public async Task Without_any_rule_set_events_are_refused_with_409()
    {
        await using var server = await ApiServer.StartAsync(startupRules: null);
        var acme = await server.TenantAsync("acme");
        var problem = await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/events", Single(Event("e1"))), 409);
        Assert.Contains("POST /v1/rulesets", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
