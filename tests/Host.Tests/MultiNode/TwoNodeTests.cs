using System.Net.Http.Json;
using RulesBilling.Host.Tests.Api;
using static RulesBilling.Host.Tests.MultiNode.ClusterTraffic;

namespace RulesBilling.Host.Tests.MultiNode;

[Collection(MultiNodeCollection.Name)]
public sealed class TwoNodeTests
{
    private static readonly string[] Customers = ["c1", "c2", "c3", "c4"];

    [Fact]
    public async Task Two_nodes_store_every_event_once_close_every_period_once_and_share_uploaded_rules()
    {
        await using var cluster = await Cluster.StartAsync(2, TestRules.Support);
        var key = await cluster.TenantAsync("acme");
        using var node0 = cluster.Client(0, key);
        using var node1 = cluster.Client(1, key);
        // A customer registered on one node is known to the other.
        foreach (var customer in Customers) await RegisterAsync(customer == "c1" || customer == "c3" ? node0 : node1, customer);

        // Four clients, two per node. Each sends the SAME 120 shared tickets (in its own order, in batches of 10) and
        // 15 tickets of its own: 120 + 4 × 15 distinct events, every shared one offered four times at once.
        var shared = Customers.SelectMany(c => Enumerable.Range(0, 30).Select(n => Ticket(c, n))).ToList();
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async client =>
        {
            using var http = cluster.Client(client % 2, key);
            var own = Enumerable.Range(100 + client * 15, 15).Select(n => Ticket(Customers[client], n));
            var mine = shared.Concat(own).OrderBy(_ => Guid.NewGuid()).ToList();
            int accepted = 0, duplicates = 0;
            foreach (var batch in mine.Chunk(10))
            {
                var (a, d) = await SendAsync(http, batch);
                accepted += a;
                duplicates += d;
            }
            return (accepted, duplicates);
        }));

        const int distinct = 120 + 4 * 15;
        Assert.Equal(distinct, results.Sum(r => r.accepted));
        Assert.Equal(4 * 120 - 120, results.Sum(r => r.duplicates));
        Assert.Equal(distinct, (int)await cluster.ScalarAsync<long>("SELECT count(*) FROM events"));
        Assert.Equal(distinct, (int)await cluster.ScalarAsync<long>("SELECT count(DISTINCT (tenant, source, id)) FROM events"));

        // Every node closes every customer's October at once (two requests per node per customer).
        var closes = await Task.WhenAll(Customers.SelectMany(c => Enumerable.Range(0, 4).Select(i => FinalizeAsync(i % 2 == 0 ? node0 : node1, c))));
        foreach (var perCustomer in closes.GroupBy(i => i["customer"]!.GetValue<string>()))
        {
            Assert.Single(perCustomer.Select(i => (i["id"]!.GetValue<string>(), i["number"]!.GetValue<string>())).Distinct());
            // 30 shared tickets and 15 of its own client's: 45 resolved tickets at 2 USD.
            Assert.Equal("90.00", perCustomer.First()["total"]!.GetValue<string>());
        }
        Assert.Equal(4L, await cluster.ScalarAsync<long>("SELECT count(*) FROM invoices"));
        Assert.Equal(["INV-000001", "INV-000002", "INV-000003", "INV-000004"], await cluster.ColumnAsync<string>("SELECT number FROM invoices ORDER BY number"));
        Assert.Equal(4L, await cluster.ScalarAsync<long>("SELECT last_number FROM invoice_counters WHERE tenant = 'acme'"));

        // An upload on node 0 is in force on node 1: first version 1 (3 USD), then version 2 (5 USD) replaces it there.
        Assert.Equal(System.Net.HttpStatusCode.Created, (await node0.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.SupportAtThree))).StatusCode);
        await EventuallyAsync(() => PreviewTotalAsync(node1), total => total == "135.00", "node 1 rating with version 1", cluster.Logs);
        var atFive = TestRules.Support.Replace("unit 2 USD", "unit 5 USD", StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await node0.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(atFive))).StatusCode);
        await EventuallyAsync(() => PreviewTotalAsync(node1), total => total == "225.00", "node 1 rating with version 2", cluster.Logs);
    }

    private static async Task<string> PreviewTotalAsync(HttpClient node) =>
        (await ApiServer.ReadJsonAsync(await node.GetAsync("/v1/customers/c1/invoices/preview?at=2026-10-15T00:00:00Z")))["invoices"]![0]!["total"]!.GetValue<string>();
}
