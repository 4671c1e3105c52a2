using System.Net;
using System.Net.Http.Json;
using RulesBilling.Engine.Tests.Payments.Fakes;
using RulesBilling.Host.Tests.Api;
using RulesBilling.Host.Tests.Payments;
using static RulesBilling.Host.Tests.MultiNode.ClusterTraffic;

namespace RulesBilling.Host.Tests.MultiNode;

[Collection(MultiNodeCollection.Name)]
public sealed class ThreeNodeTests
{
    [Fact]
    public async Task Three_nodes_with_three_sync_workers_send_each_finalized_invoice_to_stripe_once()
    {
        using var stripe = new FakeStripe(PaymentWorld.StripeKey);
        await using var cluster = await Cluster.StartAsync(3, TestRules.Support);
        var key = await cluster.TenantAsync("acme");
        var nodes = Enumerable.Range(0, 3).Select(i => cluster.Client(i, key)).ToArray();
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await nodes[0].PutAsJsonAsync("/v1/payments/accounts/stripe",
                new { secretKey = PaymentWorld.StripeKey, webhookSecret = PaymentWorld.StripeWebhookSecret, apiBase = stripe.BaseUrl })).StatusCode);
            var customers = Enumerable.Range(1, 6).Select(i => $"pay-{i}").ToArray();
            for (var i = 0; i < customers.Length; i++)
            {
                var node = nodes[i % 3];
                await RegisterAsync(node, customers[i]);
                Assert.Equal(HttpStatusCode.OK, (await node.PutAsJsonAsync($"/v1/customers/{customers[i]}/payment-provider", new { provider = "stripe" })).StatusCode);
                Assert.Equal((2, 0), await SendAsync(node, [Ticket(customers[i], 1), Ticket(customers[i], 2)]));
            }

            // Every node closes every period at once; all three sync workers (every 200 ms) then compete for the outbox.
            var invoices = await Task.WhenAll(customers.SelectMany(c => nodes.Select(n => FinalizeAsync(n, c))));
            var ids = invoices.Select(i => i["id"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal).ToList();
            Assert.Equal(customers.Length, ids.Count);
            Assert.Equal(customers.Length, invoices.Select(i => i["number"]!.GetValue<string>()).Distinct().Count());

            foreach (var id in ids)
            {
                await EventuallyAsync(
                    async () => (await ApiServer.ReadJsonAsync(await nodes[2].GetAsync($"/v1/invoices/{id}/payment")))["payment"]?["state"]?.GetValue<string>(),
                    state => state == "sent", $"invoice {id} sent to Stripe", cluster.Logs);
            }

            // One outbox record per invoice, done; one Stripe customer and one sent Stripe invoice per customer.
            Assert.Equal(customers.Length, (int)await cluster.ScalarAsync<long>("SELECT count(*) FROM pay_sync"));
            Assert.Equal(customers.Length, (int)await cluster.ScalarAsync<long>("SELECT count(*) FROM pay_sync WHERE record->>'Status' = 'Done'"));
            Assert.Equal(customers.Length, stripe.CustomerCount);
            var sent = stripe.Invoices;
            Assert.Equal(ids, sent.Select(i => i.Metadata["engine_invoice_id"]).Order(StringComparer.Ordinal).ToList());
            Assert.All(sent, i => Assert.Equal((1, 400L), (i.SendCount, i.Total)));
            // Stripe's idempotency would hide a record worked on by two nodes; its request log does not: without
            // faults, every idempotent call is made exactly once, by the one node holding the record's claim.
            var keys = stripe.Log.Where(r => r.Method == "POST").Select(r => r.Header("idempotency-key")).ToList();
            Assert.NotEmpty(keys);
            Assert.Equal(keys.Count, keys.Distinct().Count());
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }

    [Fact]
    public async Task Killing_a_node_mid_way_leaves_the_other_two_to_finish_ingestion_and_period_close()
    {
        await using var cluster = await Cluster.StartAsync(3, TestRules.Support);
        var key = await cluster.TenantAsync("acme");
        var customers = Enumerable.Range(1, 5).Select(i => $"k-{i}").ToArray();
        using (var first = cluster.Client(0, key))
        {
            foreach (var customer in customers) await RegisterAsync(first, customer);
        }

        // Six clients send 5 × 60 tickets in batches of 10 round-robin over the nodes; node 1 is killed once a third of
        // the batches went out. A batch whose node is gone (refused, or cut off before the answer) is sent again to
        // the next node, as a client behind a load balancer would: it may have been stored already, and is then a duplicate.
        var events = customers.SelectMany(c => Enumerable.Range(0, 60).Select(n => Ticket(c, n))).ToList();
        var batches = events.Chunk(10).ToArray();
        var sentBatches = 0;
        var killed = 0;
        await Task.WhenAll(Enumerable.Range(0, 6).Select(async client =>
        {
            for (var b = client; b < batches.Length; b += 6)
            {
                if (Interlocked.Increment(ref sentBatches) > batches.Length / 3 && Interlocked.Exchange(ref killed, 1) == 0) cluster.Kill(1);
                for (var node = b % 3; ; node = (node + 1) % 3)
                {
                    using var http = cluster.Client(node, key);
                    try
                    {
                        await SendAsync(http, batches[b]);
                        break;
                    }
                    catch (HttpRequestException) when (node == 1 && Volatile.Read(ref killed) == 1)
                    {
                        // Node 1 died under the request (or before it); the next node gets the batch.
                    }
                }
            }
        }));
        Assert.False(cluster.IsAlive(1));
        Assert.Equal(events.Count, (int)await cluster.ScalarAsync<long>("SELECT count(*) FROM events"));

        // A node that died holding a period's claim (simulated: its row, lapsing in 2 s) holds the period up only
        // until its lease runs out; then a live node closes it.
        await cluster.ExecuteAsync(
            "INSERT INTO claims (kind, key, owner, expires_at) VALUES ('finalize', 'acme/k-1/' || "
            + $"{new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks}, 'dead-node', clock_timestamp() + interval '2 seconds')");

        // The survivors close every period at once, and node 0 is killed while they do; node 2 finishes everything.
        using var node0 = cluster.Client(0, key);
        using var node2 = cluster.Client(2, key);
        var onNode0 = customers.Select(c => Swallow(FinalizeAsync(node0, c))).ToArray();
        var onNode2 = customers.Select(c => FinalizeAsync(node2, c)).ToArray();
        await Task.Delay(50);
        cluster.Kill(0);
        var invoices = await Task.WhenAll(onNode2);
        await Task.WhenAll(onNode0);

        Assert.Equal(customers, invoices.Select(i => i["customer"]!.GetValue<string>()).ToArray());
        Assert.All(invoices, i => Assert.Equal("120.00", i["total"]!.GetValue<string>()));
        Assert.Equal(customers.Length, (int)await cluster.ScalarAsync<long>("SELECT count(*) FROM invoices"));
        Assert.Equal(
            Enumerable.Range(1, customers.Length).Select(n => $"INV-{n:000000}").ToList(),
            await cluster.ColumnAsync<string>("SELECT number FROM invoices ORDER BY number"));
        Assert.Equal(invoices.Select(i => i["number"]!.GetValue<string>()).Order(StringComparer.Ordinal),
            await cluster.ColumnAsync<string>("SELECT number FROM invoices ORDER BY number"));
    }

    /// <summary>A request to a node that is being killed may succeed or fail; either is fine, the survivors' answers are checked.</summary>
    private static async Task Swallow(Task request)
    {
        try
        {
            await request;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
        }
    }
}
