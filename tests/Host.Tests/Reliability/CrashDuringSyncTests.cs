using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Payments.Fakes;
using Xunit.Abstractions;

namespace RulesBilling.Host.Tests.Reliability;

/// <summary>
/// Finalizing a month while the server's sync worker pushes the invoices to a fake Stripe, with SIGKILLs during the
/// finalizes and at the worst moment of a sync: right after Stripe committed a write and before the server could
/// record it. After restarts on the same file every invoice is finalized and numbered once, and Stripe holds exactly
/// one invoice for it, with our total, finalized and sent once, pushed by exactly one outbox record.
/// </summary>
public sealed class CrashDuringSyncTests(ITestOutputHelper output)
{
    private const string Tenant = "acme";
    private const int Customers = 6;
    private const string StripeKey = "sk_test_reliability_4242";

    [Fact]
    public async Task Each_invoice_is_finalized_numbered_and_synced_once_across_sigkills()
    {
        using var stripe = new FakeStripe(StripeKey);
        await using var server = new ServeProcess(ReliabilityRules.Text, "--sync-interval", "0.2");
        await server.StartAsync();
        var key = await server.CreateTenantAsync(Tenant);
        await ConfigureAsync(server, key, stripe);
        var events = Enumerable.Range(0, Customers * 8)
            .Select(i => ReliabilityRules.Event($"s-{i}", ReliabilityRules.Customer(i % Customers), i, 40 + 37 * i))
            .ToList();
        await CrashDuringIngestionTests.SendUntilAcknowledgedAsync(server, key, ReliabilityRules.Batch(events), events.Count);

        // The fake holds its answer to the chosen committed write until the server is dead: Stripe has the change,
        // the server never learns of it, and its successor must find it instead of doing it again.
        var armed = 0;
        var skip = 0;
        var hit = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var killed = new SemaphoreSlim(0);
        stripe.AfterCommit = request =>
        {
            if (request.Method != "POST" || Volatile.Read(ref armed) == 0 || Interlocked.Decrement(ref skip) >= 0) return false;
            if (Interlocked.Exchange(ref armed, 0) == 0) return false;
            hit.TrySetResult(request.Path);
            killed.Wait(TimeSpan.FromSeconds(60));
            return true;
        };

        var random = new Random(11);
        var killedAt = new List<string>();
        var killer = Task.Run(async () =>
        {
            for (var k = 0; k < ReliabilitySettings.Kills; k++)
            {
                if (k == 0)
                {
                    // The first kill lands among the finalizes, before most pushes started.
                    await Task.Delay(random.Next(20, 300));
                    killedAt.Add("during finalize");
                }
                else
                {
                    try
                    {
                        killedAt.Add("after Stripe processed POST " + await hit.Task.WaitAsync(TimeSpan.FromSeconds(20)));
                    }
                    catch (TimeoutException)
                    {
                        killedAt.Add("timed out waiting for a push");
                    }
                }
                var disarmed = Interlocked.Exchange(ref armed, 0) == 1;
                await server.KillAsync();
                if (!disarmed && k > 0)
                {
                    await hit.Task;
                    killed.Release();
                }
                // Armed before the restart: the new process's first pushes (the resumed one included) are candidates.
                if (k + 1 < ReliabilitySettings.Kills)
                {
                    hit = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                    Volatile.Write(ref skip, random.Next(0, 4));
                    Volatile.Write(ref armed, 1);
                }
                await server.StartAsync();
            }
        });
        var invoices = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var finalizer = Task.Run(async () =>
        {
            for (var round = 0; round < 2; round++)
            {
                for (var c = 0; c < Customers; c++)
                {
                    var customer = ReliabilityRules.Customer(c);
                    var invoice = await CrashDuringFinalizeTests.FinalizeUntilAnsweredAsync(server, key, customer);
                    if (invoices.TryGetValue(customer, out var first)) Assert.Equal(first["number"]!.GetValue<string>(), invoice["number"]!.GetValue<string>());
                    else invoices[customer] = invoice;
                }
            }
        });
        await Task.WhenAll(killer, finalizer).WaitAsync(ReliabilitySettings.Deadline);
        Assert.True(killedAt.Count(k => k.StartsWith("after Stripe processed", StringComparison.Ordinal)) >= Math.Min(1, ReliabilitySettings.Kills - 1),
            "no kill landed inside a push: " + string.Join("; ", killedAt));

        // The last server finishes what the killed ones left; each invoice ends with exactly one push record.
        var payments = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (customer, invoice) in invoices)
        {
            payments[customer] = await WaitUntilSentAsync(server, key, invoice["id"]!.GetValue<string>()).WaitAsync(ReliabilitySettings.Deadline);
        }
        await server.KillAsync();

        using var store = new LiteDbBillingStore(server.Database);
        var stored = store.ListInvoices(Tenant);
        Assert.Equal(Customers, stored.Count);
        Assert.All(stored, i => Assert.Equal(InvoiceStatus.Finalized, i.Status));
        Assert.Equal(Enumerable.Range(1, Customers).Select(n => $"INV-{n:D6}"), stored.Select(i => i.Number!).Order(StringComparer.Ordinal));
        Assert.Equal(Customers + 1, store.NextInvoiceNumber(Tenant));

        var remote = stripe.Invoices;
        var context = "killed " + string.Join("; ", killedAt);
        output.WriteLine(context);
        Assert.True(remote.Count == Customers, $"Stripe holds {remote.Count} invoices for {Customers} finalized ones ({context})");
        Assert.Equal(Customers, stripe.CustomerCount);
        foreach (var invoice in stored)
        {
            var pushed = Assert.Single(remote, r => r.Metadata.GetValueOrDefault("engine_invoice_id") == invoice.Id);
            Assert.Equal((decimal)pushed.Total, invoice.Total * 100m);
            // Finalized and sent at Stripe once: a repeated send after a restart is replayed under its idempotency key.
            Assert.Equal(("usd", "open", 1), (pushed.Currency, pushed.Status, pushed.SendCount));
            Assert.Equal(invoices[invoice.Customer]["total"]!.GetValue<string>(), invoice.Total.ToString("0.00", CultureInfo.InvariantCulture));
            Assert.Equal(pushed.Id, payments[invoice.Customer]["payment"]!["providerInvoiceId"]!.GetValue<string>());
        }
    }

    private static async Task ConfigureAsync(ServeProcess server, string key, FakeStripe stripe)
    {
        using var http = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync("/v1/payments/accounts/stripe",
            new { secretKey = StripeKey, webhookSecret = "whsec_reliability_1", apiBase = stripe.BaseUrl })).StatusCode);
        for (var c = 0; c < Customers; c++)
        {
            var customer = ReliabilityRules.Customer(c);
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/v1/customers", new { id = customer })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync($"/v1/customers/{customer}/payment-provider", new { provider = "stripe" })).StatusCode);
        }
    }

    /// <summary>Polls the invoice's payment view until it is sent, and checks it was pushed by one outbox record.</summary>
    private static async Task<JsonNode> WaitUntilSentAsync(ServeProcess server, string key, string invoiceId)
    {
        using var http = server.Client(key);
        while (true)
        {
            var payment = JsonNode.Parse(await http.GetStringAsync($"/v1/invoices/{invoiceId}/payment"))!;
            if (payment["payment"]?["state"]?.GetValue<string>() == "sent")
            {
                var push = Assert.Single(payment["sync"]!.AsArray(), r => r!["action"]!.GetValue<string>() == "push");
                Assert.Equal("done", push!["status"]!.GetValue<string>());
                return payment;
            }
            await Task.Delay(100);
        }
    }
}
