using System.Net;
using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

/// <summary>/usage and /outcomes list what the customer's contract of that period bills, as preview does.</summary>
public sealed class UsageContractTests
{
    private const string Rules = """
        event ticket.resolved {
          ticket_id: string
        }

        event llm.usage {
          ticket_id: string
          tokens: integer
        }

        outcome resolved from ticket.resolved {
          key ticket_id
        }

        outcome llm_call from llm.usage {
          quantity tokens / 1000
        }

        pricing basic {
          charge resolved { unit 2 USD }
        }

        pricing metered {
          charge resolved { unit 2 USD }
          charge llm_call { unit 0.01 USD }
        }

        contract basic version 1 effective 2026-01-01 {
          customers "cust-1"
          pricing basic
          currency USD
          period monthly
        }

        contract metered version 1 effective 2026-01-01 {
          customers default
          pricing metered
          currency USD
          period monthly
        }
        """;

    private static string Llm(string id, string customer) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"agent","type":"llm.usage","subject":"{{{customer}}}","time":"2026-10-05T09:00:00Z","data":{"ticket_id":"T-1","tokens":12000}}""";

    [Fact]
    public async Task Usage_lists_only_the_outcomes_the_contract_bills()
    {
        await using var server = await ApiServer.StartAsync(startupRules: Rules);
        var acme = await server.TenantAsync("acme");
        var ingested = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event("e1"), Llm("u1", "cust-1"), EventTests.Event("e2", customer: "cust-2"), Llm("u2", "cust-2"))));
        Assert.Equal(4, ingested["accepted"]!.GetValue<int>());

        var preview = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/invoices/preview?at=2026-10-15T00:00:00Z"));
        var billed = preview["invoices"]![0]!["lines"]!.AsArray().Where(l => l!["kind"]!.GetValue<string>() == "charge").Select(l => l!["rule"]!.GetValue<string>()).ToList();
        Assert.Equal(["resolved"], billed);
        var usage = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/usage?at=2026-10-15T00:00:00Z"));
        Assert.Equal("basic", usage["contract"]!.GetValue<string>());
        Assert.Equal(["resolved"], usage["outcomes"]!.AsArray().Select(o => o!["outcome"]!.GetValue<string>()));
        var outcomes = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/outcomes?at=2026-10-15T00:00:00Z"));
        Assert.Equal(["resolved"], outcomes["outcomes"]!.AsArray().Select(o => o!["outcome"]!.GetValue<string>()));

        // The metered contract bills both.
        var metered = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-2/usage?at=2026-10-15T00:00:00Z"));
        Assert.Equal(["llm_call", "resolved"], metered["outcomes"]!.AsArray().Select(o => o!["outcome"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/v1/customers/cust-2/outcomes?outcome=llm_call")).StatusCode);
    }
}
