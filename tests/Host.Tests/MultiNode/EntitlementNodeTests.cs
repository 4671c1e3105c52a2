using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using RulesBilling.Host.Tests.Api;
using static RulesBilling.Host.Tests.MultiNode.ClusterTraffic;

namespace RulesBilling.Host.Tests.MultiNode;

/// <summary>
/// Entitlements are read from the shared store, not from a per-node copy of the events: an entitlement check on any
/// node sees an event another node accepted as soon as that node acknowledged it (no waiting, no polling).
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class EntitlementNodeTests
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
        contract standard version 1 effective 2020-01-01 {
          customers default
          pricing support
          features {
            resolutions limit 5 hard
          }
        }
        """;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_check_on_one_node_sees_an_event_acknowledged_by_another(int count)
    {
        await using var cluster = await Cluster.StartAsync(count, Rules);
        var key = await cluster.TenantAsync("acme");
        var nodes = Enumerable.Range(0, count).Select(i => cluster.Client(i, key)).ToArray();
        try
        {
            await RegisterAsync(nodes[0], "cust-1");
            // Every node answers first, so each has cached the customer's activity before the events arrive.
            foreach (var node in nodes) Assert.Equal(("0", true), await UsageAsync(node));

            for (var n = 1; n <= 5; n++)
            {
                var time = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                Assert.Equal((1, 0), await SendAsync(nodes[n % count], [EventTests.Event($"e{n}", "cust-1", $"T-{n}", time)]));
                // Right after the acknowledgement, on every node including the ones that did not accept it.
                foreach (var node in nodes) Assert.Equal((n.ToString(CultureInfo.InvariantCulture), n < 5), await UsageAsync(node));
            }

            // The limit is hard: the next unit is refused on whichever node is asked.
            foreach (var node in nodes)
            {
                var check = await ApiServer.ReadJsonAsync(await node.PostAsJsonAsync("/v1/customers/cust-1/entitlements/resolutions/check", new { quantity = "1" }));
                Assert.Equal((false, "hard-limit-reached"), (check["allowed"]!.GetValue<bool>(), check["reason"]!.GetValue<string>()));
            }
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }

    private static async Task<(string Usage, bool HasAccess)> UsageAsync(HttpClient node)
    {
        var response = await node.GetAsync("/v1/customers/cust-1/entitlements/resolutions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var metered = await ApiServer.ReadJsonAsync(response);
        return (metered["usage"]!.GetValue<string>(), metered["hasAccess"]!.GetValue<bool>());
    }
}
