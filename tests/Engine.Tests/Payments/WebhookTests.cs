using System.Security.Cryptography;
using System.Text;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Tests.Payments;

public sealed class WebhookTests
{
    private const string T = PaymentHarness.Tenant;

    private static string StripeEvent(string id, string type, string invoiceId) =>
        "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"data\":{\"object\":{\"id\":\"in_1\",\"object\":\"invoice\",\"status\":\"paid\",\"metadata\":{\"engine_invoice_id\":\"" + invoiceId + "\"}}}}";

    private static string RazorpayEvent(string type, string invoiceId) =>
        "{\"entity\":\"event\",\"event\":\"" + type + "\",\"payload\":{\"invoice\":{\"entity\":{\"id\":\"inv_1\",\"status\":\"paid\",\"notes\":{\"engine_invoice_id\":\"" + invoiceId + "\"}}}}}";

    private static string StripeSignature(string body, long timestamp, string secret = PaymentHarness.WebhookSecret) =>
        $"t={timestamp},v1={Hmac(secret, $"{timestamp}.{body}")}";

    private static string Hmac(string secret, string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void A_valid_Stripe_event_is_stored_once_and_applied_once()
    {
        using var harness = new PaymentHarness();
        var inbox = new WebhookInbox(harness.Payments, harness.Time);
        var now = harness.Time.GetUtcNow().ToUnixTimeSeconds();
        var body = StripeEvent("evt_1", "invoice.paid", "inv-acme-1");

        var first = inbox.ReceiveStripe(T, body, StripeSignature(body, now));
        var replayed = inbox.ReceiveStripe(T, body, StripeSignature(body, now));
        var applied = new WebhookApplier(harness.Payments, harness.Time).ApplyPending();
        var appliedAgain = new WebhookApplier(harness.Payments, harness.Time).ApplyPending();

        Assert.Equal((WebhookOutcome.Accepted, "evt_1"), (first.Outcome, first.EventId));
        Assert.Equal(WebhookOutcome.Duplicate, replayed.Outcome);
        Assert.Equal((1, 0), (applied, appliedAgain));
        var state = harness.Payments.FindPaymentState(T, "inv-acme-1")!;
        Assert.Equal((PaymentState.Paid, "in_1", "evt_1"), (state.State, state.ProviderInvoiceId, state.LastEventId));
    }

    [Fact]
    public void A_tampered_Stripe_body_is_rejected_and_stores_nothing()
    {
        using var harness = new PaymentHarness();
        var inbox = new WebhookInbox(harness.Payments, harness.Time);
        var now = harness.Time.GetUtcNow().ToUnixTimeSeconds();
        var body = StripeEvent("evt_1", "invoice.paid", "inv-acme-1");

        var receipt = inbox.ReceiveStripe(T, body.Replace("inv-acme-1", "inv-acme-2", StringComparison.Ordinal), StripeSignature(body, now));
        var wrongSecret = inbox.ReceiveStripe(T, body, StripeSignature(body, now, "whsec_other"));

        Assert.Equal(WebhookOutcome.Rejected, receipt.Outcome);
        Assert.Contains("signature", receipt.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(WebhookOutcome.Rejected, wrongSecret.Outcome);
        Assert.Empty(harness.Payments.ListUnappliedWebhookEvents());
    }

    [Fact]
    public void A_stale_Stripe_signature_is_rejected_outside_the_tolerance()
    {
        using var harness = new PaymentHarness();
        var inbox = new WebhookInbox(harness.Payments, harness.Time);
        var now = harness.Time.GetUtcNow().ToUnixTimeSeconds();
        var body = StripeEvent("evt_1", "invoice.paid", "inv-acme-1");

        var stale = inbox.ReceiveStripe(T, body, StripeSignature(body, now - 400));
        var withinTolerance = inbox.ReceiveStripe(T, body, StripeSignature(body, now - 200));

        Assert.Equal(WebhookOutcome.Rejected, stale.Outcome);
        Assert.Contains("tolerance", stale.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(WebhookOutcome.Accepted, withinTolerance.Outcome);
    }

    [Fact]
    public void Razorpay_signatures_are_checked_on_the_raw_body_and_events_deduplicated_by_event_id()
    {
        using var harness = new PaymentHarness();
        var inbox = new WebhookInbox(harness.Payments, harness.Time);
        var body = RazorpayEvent("invoice.paid", "inv-acme-1");
        var signature = Hmac(PaymentHarness.WebhookSecret, body);

        var valid = inbox.ReceiveRazorpay(T, body, signature, "evt_rzp_1");
        var replayed = inbox.ReceiveRazorpay(T, body, signature, "evt_rzp_1");
        var tampered = inbox.ReceiveRazorpay(T, body.Replace("paid", "cancelled", StringComparison.Ordinal), signature, "evt_rzp_2");
        var garbage = inbox.ReceiveRazorpay(T, body, "not-hex", "evt_rzp_3");
        new WebhookApplier(harness.Payments, harness.Time).ApplyPending();

        Assert.Equal(
            [WebhookOutcome.Accepted, WebhookOutcome.Duplicate, WebhookOutcome.Rejected, WebhookOutcome.Rejected],
            new[] { valid, replayed, tampered, garbage }.Select(r => r.Outcome));
        Assert.Equal(PaymentState.Paid, harness.Payments.FindPaymentState(T, "inv-acme-1")!.State);
    }

    [Fact]
    public void A_late_payment_failure_does_not_undo_a_payment()
    {
        using var harness = new PaymentHarness();
        var inbox = new WebhookInbox(harness.Payments, harness.Time);
        var now = harness.Time.GetUtcNow().ToUnixTimeSeconds();
        var paid = StripeEvent("evt_1", "invoice.paid", "inv-acme-1");
        var failed = StripeEvent("evt_2", "invoice.payment_failed", "inv-acme-1");

        inbox.ReceiveStripe(T, paid, StripeSignature(paid, now));
        inbox.ReceiveStripe(T, failed, StripeSignature(failed, now));
        new WebhookApplier(harness.Payments, harness.Time).ApplyPending();

        Assert.Equal(PaymentState.Paid, harness.Payments.FindPaymentState(T, "inv-acme-1")!.State);
    }

    [Fact]
    public async Task A_Stripe_event_without_metadata_maps_back_through_the_outbox()
    {
        using var harness = new PaymentHarness(liteDb: true);
        harness.UseProvider("acme", PaymentProvider.Stripe);
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));
        await harness.Worker().RunOnceAsync();
        var remoteId = harness.Push(invoice).ProviderInvoiceId!;
        var body = "{\"id\":\"evt_9\",\"object\":\"event\",\"type\":\"invoice.payment_failed\",\"data\":{\"object\":{\"id\":\"" + remoteId + "\",\"object\":\"invoice\"}}}";
        var now = harness.Time.GetUtcNow().ToUnixTimeSeconds();

        new WebhookInbox(harness.Payments, harness.Time).ReceiveStripe(T, body, StripeSignature(body, now));
        new WebhookApplier(harness.Payments, harness.Time).ApplyPending();

        Assert.Equal(PaymentState.PaymentFailed, harness.Payments.FindPaymentState(T, invoice.Id)!.State);
    }
}
