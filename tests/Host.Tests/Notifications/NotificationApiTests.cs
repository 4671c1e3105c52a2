using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RulesBilling.Host.Api;
using RulesBilling.Host.Tests.Api;
using RulesBilling.Host.Tests.Payments;

namespace RulesBilling.Host.Tests.Notifications;

/// <summary>
/// Outbound notifications through the real server on 127.0.0.1 (with --allow-private-webhooks so it may call the
/// local receiver): raised when the invoice is finalized, held or paid, at the subscription's own threshold levels,
/// and refused for private addresses without the option.
/// </summary>
public sealed class NotificationApiTests
{
    private const string Features = """
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
            resolutions limit 10 hard
          }
        }
        """;

    private static ServeOptions AllowPrivate(ServeOptions o) => o with { AllowPrivateWebhooks = true };

    private static async Task<string> SubscribeAsync(HttpClient tenant, string url, string[] events, int[]? thresholds = null)
    {
        var created = await tenant.PostAsJsonAsync("/v1/webhooks", new { url, events, thresholds });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await ApiServer.ReadJsonAsync(created))["secret"]!.GetValue<string>();
    }

    private static async Task<JsonArray> DeliveriesAsync(HttpClient tenant) => (await ApiServer.ReadJsonAsync(await tenant.GetAsync("/v1/webhooks/deliveries"))).AsArray();

    private static async Task<JsonNode> FinalizeOctoberAsync(HttpClient tenant)
    {
        var response = await tenant.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ApiServer.ReadJsonAsync(response);
    }

    [Fact]
    public async Task A_finalized_invoice_produces_exactly_one_signed_invoice_finalized_delivery_at_finalization()
    {
        using var receiver = new HookReceiver();
        await using var server = await ApiServer.StartAsync(AllowPrivate);
        var acme = await server.TenantAsync("acme");
        var secret = await SubscribeAsync(acme, receiver.Url("hooks/"), ["invoice.finalized", "invoice.voided"]);
        await acme.PostAsync("/v1/events", EventTests.Batch(EventTests.Event("e1", ticket: "T-1"), EventTests.Event("e2", ticket: "T-2")));

        var invoice = await FinalizeOctoberAsync(acme);
        var id = invoice["id"]!.GetValue<string>();
        // Written with the invoice: the delivery is there when the finalize call returns, before any worker pass.
        var delivery = Assert.Single(await DeliveriesAsync(acme))!;
        Assert.Equal("invoice.finalized", delivery["type"]!.GetValue<string>());
        await FinalizeOctoberAsync(acme);
        Assert.Single(await DeliveriesAsync(acme));

        var received = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1));
        Assert.True(received.SignedWith(secret));
        Assert.Equal((delivery["id"]!.GetValue<string>(), "invoice.finalized"), (received.DeliveryId, received.Type));
        var data = received.Json["data"]!;
        Assert.Equal((id, "INV-000001", "USD", "4.00"), (data["invoiceId"]!.GetValue<string>(), data["number"]!.GetValue<string>(),
            data["currency"]!.GetValue<string>(), data["total"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.OK, (await acme.PostAsync($"/v1/invoices/{id}/void", null)).StatusCode);
        var voided = await receiver.WaitForAsync(r => r.Count >= 2);
        Assert.Equal(["invoice.finalized", "invoice.voided"], voided.Select(r => r.Type).Order(StringComparer.Ordinal));
        Assert.Equal(id, voided.Single(r => r.Type == "invoice.voided").Json["data"]!["invoiceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_guard_that_holds_the_invoice_is_notified_once_as_it_happens()
    {
        using var receiver = new HookReceiver();
        await using var server = await ApiServer.StartAsync(AllowPrivate, TestRules.WithHoldingGuard);
        var acme = await server.TenantAsync("acme");
        var secret = await SubscribeAsync(acme, receiver.Url("hooks/"), ["guard.triggered"]);
        await acme.PostAsync("/v1/events", EventTests.Batch(EventTests.Event("e1", ticket: "T-1"), EventTests.Event("e2", ticket: "T-2")));

        var held = await FinalizeOctoberAsync(acme);
        Assert.Equal("held", held["status"]!.GetValue<string>());
        Assert.Single(await DeliveriesAsync(acme));
        await FinalizeOctoberAsync(acme);
        await acme.PostAsync($"/v1/invoices/{held["id"]!.GetValue<string>()}/release", null);
        Assert.Equal("finalized", (await FinalizeOctoberAsync(acme))["status"]!.GetValue<string>());

        var received = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1));
        Assert.Single(await DeliveriesAsync(acme));
        Assert.True(received.SignedWith(secret));
        var data = received.Json["data"]!;
        Assert.Equal((held["id"]!.GetValue<string>(), "held", "big_spend", "hold"), (data["invoiceId"]!.GetValue<string>(),
            data["invoiceStatus"]!.GetValue<string>(), data["guard"]!.GetValue<string>(), data["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_Stripe_invoice_paid_webhook_produces_one_invoice_paid_delivery()
    {
        using var receiver = new HookReceiver();
        await using var world = await PaymentWorld.StartAsync(AllowPrivate);
        var secret = await SubscribeAsync(world.Acme, receiver.Url("paid/"), ["invoice.paid"]);
        using var anonymous = world.Server.Client();
        var invoice = await world.FinalizeAsync("cust-1", "stripe");
        var id = invoice["id"]!.GetValue<string>();
        await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "sent"));

        var body = PaymentWorld.StripeEvent("evt_paid_hook", "invoice.paid", Assert.Single(world.Stripe.Invoices));
        for (var copy = 0; copy < 2; copy++)
        {
            // The provider's own retry of the same event is acknowledged as a duplicate and raises nothing more.
            var answer = await PaymentWorld.PostStripeWebhookAsync(anonymous, PaymentWorld.Tenant, body, PaymentWorld.StripeSignature(body, DateTimeOffset.UtcNow));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "paid"));

        var received = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1));
        var deliveries = await DeliveriesAsync(world.Acme);
        Assert.Equal("invoice.paid", Assert.Single(deliveries)!["type"]!.GetValue<string>());
        Assert.True(received.SignedWith(secret));
        var data = received.Json["data"]!;
        Assert.Equal((id, "stripe", Assert.Single(world.Stripe.Invoices).Id, "evt_paid_hook", "4.00"), (data["invoiceId"]!.GetValue<string>(),
            data["provider"]!.GetValue<string>(), data["providerInvoiceId"]!.GetValue<string>(), data["providerEventId"]!.GetValue<string>(),
            data["total"]!.GetValue<string>()));
        Assert.Equal("cust-1", received.Json["customer"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_subscription_receives_the_threshold_levels_it_configured()
    {
        using var receiver = new HookReceiver();
        await using var server = await ApiServer.StartAsync(o => AllowPrivate(o) with { RateLimitPermits = 100_000 }, Features);
        var acme = await server.TenantAsync("acme");
        await SubscribeAsync(acme, receiver.Url("custom/"), ["entitlement.threshold"], [30, 70]);
        await SubscribeAsync(acme, receiver.Url("default/"), ["entitlement.threshold"]);
        var now = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        async Task ResolveAsync(int from, int to)
        {
            var events = Enumerable.Range(from, to - from + 1).Select(n => EventTests.Event($"e{n}", ticket: $"T-{n}", time: now)).ToArray();
            Assert.Equal(HttpStatusCode.OK, (await acme.PostAsync("/v1/events", EventTests.Batch(events))).StatusCode);
        }
        static List<(string, int)> Levels(List<HookReceiver.Request> requests) => requests
            .Select(r => (r.Path, r.Json["data"]!["percent"]!.GetValue<int>())).Order().ToList();

        await ResolveAsync(1, 3);
        Assert.Equal([("/custom/", 30)], Levels(await receiver.WaitForAsync(r => r.Count >= 1)));
        await ResolveAsync(4, 7);
        var all = Levels(await receiver.WaitForAsync(r => r.Count >= 3));

        Assert.Equal([("/custom/", 30), ("/custom/", 70), ("/default/", 50)], all);
        Assert.Equal(3, (await DeliveriesAsync(acme)).Count);
        var listed = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/webhooks"))).AsArray();
        Assert.Equal([[30, 70], [50, 80, 100]], listed.Select(w => w!["thresholds"]!.AsArray().Select(p => p!.GetValue<int>()).ToArray()).Order(Comparer<int[]>.Create((a, b) => a[0].CompareTo(b[0]))));
    }

    [Fact]
    public async Task Private_addresses_and_out_of_range_levels_are_refused_without_the_option()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        string[] events = ["invoice.finalized"];

        foreach (var url in new[] { "http://127.0.0.1:8080/hooks", "http://localhost/hooks", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/", "http://[::1]/" })
        {
            var problem = await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/webhooks", new { url, events }), 422);
            Assert.Contains("--allow-private-webhooks", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/webhooks", new { url = "https://93.184.215.14/hooks", events, thresholds = new[] { 0 } }), 400);
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/webhooks", new { url = "https://93.184.215.14/hooks", events, thresholds = new[] { 101 } }), 400);
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/webhooks", new { url = "https://93.184.215.14/hooks", events, creditsLowPercent = 0 }), 400);
        Assert.Empty((await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/webhooks"))).AsArray());

        // A public address is accepted, with the default levels filled in.
        var created = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/webhooks", new { url = "https://93.184.215.14/hooks", events, creditsLowPercent = 35 }));
        Assert.Equal([50, 80, 100], created["thresholds"]!.AsArray().Select(p => p!.GetValue<int>()));
        Assert.Equal(35, created["creditsLowPercent"]!.GetValue<int>());
    }
}
