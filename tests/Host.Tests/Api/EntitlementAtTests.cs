using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

/// <summary>The entitlement routes answer for ?at= as the CLI's --at does: grants of the version then in force, usage of that window.</summary>
public sealed class EntitlementAtTests
{
    private const string Rules = """
        event ticket.resolved {
          ticket_id: string
        }

        outcome resolved from ticket.resolved {
          key ticket_id
        }

        pricing support {
          charge resolved { unit 2 USD }
        }

        feature resolutions metered outcome resolved

        contract standard version 1 effective 2026-01-01 {
          customers default
          pricing support
          currency USD
          period monthly
          features {
            resolutions limit 2 hard
          }
        }

        contract standard version 2 effective 2026-11-01 {
          customers default
          pricing support
          currency USD
          period monthly
          features {
            resolutions limit 10 hard
          }
        }
        """;

    [Fact]
    public async Task Entitlements_honour_at_for_the_version_and_window_of_that_instant()
    {
        await using var server = await ApiServer.StartAsync(startupRules: Rules);
        var acme = await server.TenantAsync("acme");
        await acme.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event("e1", ticket: "T-1", time: "2026-10-05T10:00:00Z"),
            EventTests.Event("e2", ticket: "T-2", time: "2026-10-06T10:00:00Z")));

        var october = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/entitlements?at=2026-10-15T00:00:00Z"));
        Assert.Equal(("2026-10-15T00:00:00+00:00", 1), (october["at"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM-ddTHH:mm:sszzz"), october["version"]!.GetValue<int>()));
        var resolutions = october["features"]!.AsArray().Single(f => f!["feature"]!.GetValue<string>() == "resolutions")!;
        Assert.Equal(("2", "2", false), (resolutions["usage"]!.GetValue<string>(), resolutions["limit"]!.GetValue<string>(), resolutions["hasAccess"]!.GetValue<bool>()));

        var one = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/entitlements/resolutions?at=2026-11-15T00:00:00Z"));
        Assert.Equal(("0", "10", true), (one["usage"]!.GetValue<string>(), one["limit"]!.GetValue<string>(), one["hasAccess"]!.GetValue<bool>()));

        var now = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/entitlements/resolutions"));
        Assert.Equal("10", now["limit"]!.GetValue<string>());
    }
}
