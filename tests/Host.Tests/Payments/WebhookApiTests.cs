using System.Net;
using System.Text.Json.Nodes;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.Payments;

/// <summary>Signed provider events posted to the real server, with no API key: verified on the raw body, stored once, applied in the background.</summary>
public sealed class WebhookApiTests
{
    private static async Task<(string InvoiceId, JsonNode Answer)> PaidThroughStripeAsync(PaymentWorld world, HttpClient anonymous, string eventId)
    {
        var invoice = await world.FinalizeAsync("cust-1", "stripe");
        var id = invoice["id"]!.GetValue<string>();
        await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "sent"));
        var body = PaymentWorld.StripeEvent(eventId, "invoice.paid", Assert.Single(world.Stripe.Invoices));
        var response = await PaymentWorld.PostStripeWebhookAsync(anonymous, PaymentWorld.Tenant, body, PaymentWorld.StripeSignature(body, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (id, await ApiServer.ReadJsonAsync(response));
    }

    [Fact]
    public async Task A_signed_Stripe_invoice_paid_event_marks_the_invoice_paid()
    {
        await using var world = await PaymentWorld.StartAsync();
        using var anonymous = world.Server.Client();

        var (id, answer) = await PaidThroughStripeAsync(world, anonymous, "evt_paid_1");
        var payment = await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "paid"));

        Assert.Equal(("evt_paid_1", false), (answer["eventId"]!.GetValue<string>(), answer["duplicate"]!.GetValue<bool>()));
        Assert.Equal(("evt_paid_1", "stripe"), (payment["payment"]!["lastEventId"]!.GetValue<string>(), payment["payment"]!["provider"]!.GetValue<string>()));
        Assert.Equal(Assert.Single(world.Stripe.Invoices).Id, payment["payment"]!["providerInvoiceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_replayed_Stripe_event_is_acknowledged_as_a_duplicate_and_stored_once()
    {
        await using var world = await PaymentWorld.StartAsync();
        using var anonymous = world.Server.Client();
        var (id, _) = await PaidThroughStripeAsync(world, anonymous, "evt_once");
        await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "paid"));
        // The same event again, and then a late "payment failed" under the same event id: neither is stored.
        var body = PaymentWorld.StripeEvent("evt_once", "invoice.paid", Assert.Single(world.Stripe.Invoices));
        var failed = PaymentWorld.StripeEvent("evt_once", "invoice.payment_failed", Assert.Single(world.Stripe.Invoices));

        var replay = await PaymentWorld.PostStripeWebhookAsync(anonymous, PaymentWorld.Tenant, body, PaymentWorld.StripeSignature(body, DateTimeOffset.UtcNow));
        var sameId = await PaymentWorld.PostStripeWebhookAsync(anonymous, PaymentWorld.Tenant, failed, PaymentWorld.StripeSignature(failed, DateTimeOffset.UtcNow));

        Assert.True((await ApiServer.ReadJsonAsync(replay))["duplicate"]!.GetValue<bool>());
        Assert.True((await ApiServer.ReadJsonAsync(sameId))["duplicate"]!.GetValue<bool>());
        var payment = await world.PaymentAsync(id);
        Assert.Equal(("paid", "evt_once"), (payment["payment"]!["state"]!.GetValue<string>(), payment["payment"]!["lastEventId"]!.GetValue<string>()));
        var log = world.Server.Log.ToString();
        Assert.True(log.Split('\n').Count(l => l.Contains("Accepted Stripe webhook event evt_once", StringComparison.Ordinal)) == 1, log);
    }

    [Fact]
    public async Task Tampered_stale_unsigned_and_foreign_Stripe_deliveries_are_400_problems_and_store_nothing()
    {
        await using var world = await PaymentWorld.StartAsync();
        using var anonymous = world.Server.Client();
        var invoice = await world.FinalizeAsync("cust-1", "stripe");
        var id = invoice["id"]!.GetValue<string>();
        await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "sent"));
        var body = PaymentWorld.StripeEvent("evt_bad", "invoice.paid", Assert.Single(world.Stripe.Invoices));
        var now = DateTimeOffset.UtcNow;
        var globex = await world.Server.TenantAsync("globex");

        var tampered = await PaymentWorld.PostStripeWebhookAsync(anonymous, PaymentWorld.Tenant, body.Replace("invoice.paid", "invoice.voided", StringComparison.Ordinal),
            PaymentWorld.StripeSignature(body, now));
        var stale = await PaymentWorld.PostStripeWebhookAsync(anonymous, PaymentWorld.Tenant, body, PaymentWorld.StripeSignature(body, now.AddMinutes(-10)));
        var wrongSecret = await PaymentWorld.PostStripeWebhookAsync(anonymous, PaymentWorld.Tenant, body, PaymentWorld.StripeSignature(body, now, "whsec_someone_else"));
        var unsigned = await PaymentWorld.PostStripeWebhookAsync(anonymous, PaymentWorld.Tenant, body, null);
        // Another tenant's URL with acme's signature: globex has no Stripe account, and acme's secret vouches for nothing there.
        var foreign = await PaymentWorld.PostStripeWebhookAsync(globex, "globex", body, PaymentWorld.StripeSignature(body, now));

        Assert.Contains("signature", (await ApiServer.AssertProblemAsync(tampered, 400))["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("tolerance", (await ApiServer.AssertProblemAsync(stale, 400))["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        await ApiServer.AssertProblemAsync(wrongSecret, 400);
        Assert.Contains("Stripe-Signature", (await ApiServer.AssertProblemAsync(unsigned, 400))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("no Stripe account", (await ApiServer.AssertProblemAsync(foreign, 400))["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // A valid delivery afterwards is the first one stored: none of the refused ones took its event id.
        Assert.Equal("sent", (await world.PaymentAsync(id))["payment"]!["state"]!.GetValue<string>());
        var valid = await PaymentWorld.PostStripeWebhookAsync(anonymous, PaymentWorld.Tenant, body, PaymentWorld.StripeSignature(body, DateTimeOffset.UtcNow));
        Assert.False((await ApiServer.ReadJsonAsync(valid))["duplicate"]!.GetValue<bool>());
        await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "paid"));
    }

    [Fact]
    public async Task Razorpay_invoice_paid_is_verified_by_HMAC_stored_once_by_event_id_and_applied()
    {
        await using var world = await PaymentWorld.StartAsync();
        using var anonymous = world.Server.Client();
        var invoice = await world.FinalizeAsync("cust-1", "razorpay");
        var id = invoice["id"]!.GetValue<string>();
        await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "sent"));
        var remote = Assert.Single(world.Razorpay.Invoices);
        remote["status"] = "paid";
        var body = PaymentWorld.RazorpayEvent("invoice.paid", remote);
        var signature = PaymentWorld.Hmac(PaymentWorld.RazorpayWebhookSecret, body);

        var tampered = await PaymentWorld.PostRazorpayWebhookAsync(anonymous, PaymentWorld.Tenant, body.Replace("paid", "issued", StringComparison.Ordinal), signature, "rzp_evt_1");
        var notHex = await PaymentWorld.PostRazorpayWebhookAsync(anonymous, PaymentWorld.Tenant, body, "not-a-signature", "rzp_evt_1");
        var first = await PaymentWorld.PostRazorpayWebhookAsync(anonymous, PaymentWorld.Tenant, body, signature, "rzp_evt_1");
        var replay = await PaymentWorld.PostRazorpayWebhookAsync(anonymous, PaymentWorld.Tenant, body, signature, "rzp_evt_1");
        var payment = await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "paid"));

        await ApiServer.AssertProblemAsync(tampered, 400);
        await ApiServer.AssertProblemAsync(notHex, 400);
        Assert.False((await ApiServer.ReadJsonAsync(first))["duplicate"]!.GetValue<bool>());
        Assert.True((await ApiServer.ReadJsonAsync(replay))["duplicate"]!.GetValue<bool>());
        Assert.Equal(("rzp_evt_1", remote["id"]!.GetValue<string>()),
            (payment["payment"]!["lastEventId"]!.GetValue<string>(), payment["payment"]!["providerInvoiceId"]!.GetValue<string>()));
    }
}
