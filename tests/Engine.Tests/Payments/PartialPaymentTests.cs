using System.Security.Cryptography;
using System.Text;
using RulesBilling.Engine.Accounting;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Tests.Payments;

/// <summary>
/// Issue 17: partial payments and refunds reported by provider webhooks move the payment state (partially paid, paid,
/// partially refunded, refunded) by the provider's running totals, once per event whatever the delivery order, and
/// each movement posts cash in the journal.
/// </summary>
public sealed class PartialPaymentTests
{
    private const string T = PaymentHarness.Tenant;

    private static string Hmac(string secret, string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));

    private static string StripeInvoiceEvent(string id, string type, string invoiceId, long paid, long remaining, long created) =>
        "{\"id\":\"" + id + "\",\"object\":\"event\",\"created\":" + created + ",\"type\":\"" + type + "\",\"data\":{\"object\":{\"id\":\"in_1\",\"object\":\"invoice\",\"currency\":\"usd\","
        + "\"amount_paid\":" + paid + ",\"amount_remaining\":" + remaining + ",\"metadata\":{\"engine_invoice_id\":\"" + invoiceId + "\"}}}}";

    private static string StripeRefund(string id, string invoiceId, long refunded, long created) =>
        "{\"id\":\"" + id + "\",\"object\":\"event\",\"created\":" + created + ",\"type\":\"charge.refunded\",\"data\":{\"object\":{\"id\":\"ch_1\",\"object\":\"charge\",\"currency\":\"usd\","
        + "\"amount\":15000,\"amount_refunded\":" + refunded + ",\"invoice\":\"in_1\",\"metadata\":{\"engine_invoice_id\":\"" + invoiceId + "\"}}}}";

    private static void Stripe(PaymentHarness harness, string body)
    {
        var now = harness.Time.GetUtcNow().ToUnixTimeSeconds();
        var receipt = new WebhookInbox(harness.Payments, harness.Time).ReceiveStripe(T, body, $"t={now},v1={Hmac(PaymentHarness.WebhookSecret, $"{now}.{body}")}");
        Assert.Equal(WebhookOutcome.Accepted, receipt.Outcome);
    }

    private static void Razorpay(PaymentHarness harness, string body, string eventId)
    {
        var receipt = new WebhookInbox(harness.Payments, harness.Time).ReceiveRazorpay(T, body, Hmac(PaymentHarness.WebhookSecret, body), eventId);
        Assert.Equal(WebhookOutcome.Accepted, receipt.Outcome);
    }

    private static WebhookApplier Applier(PaymentHarness harness) => new(harness.Payments, harness.Time, invoices: harness.Billing);

    [Fact]
    public void A_partial_Stripe_payment_leaves_the_invoice_partially_paid_until_the_rest_arrives_and_a_stale_redelivery_changes_nothing()
    {
        using var harness = new PaymentHarness();
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m, 50m]));
        var paidAt = new DateTimeOffset(2026, 4, 3, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        Stripe(harness, StripeInvoiceEvent("evt_1", "invoice.paid", invoice.Id, 6000, 9000, paidAt));
        Applier(harness).ApplyPending();
        var partial = harness.Payments.FindPaymentState(T, invoice.Id)!;
        Stripe(harness, StripeInvoiceEvent("evt_2", "invoice.paid", invoice.Id, 15000, 0, paidAt + 86400));
        Stripe(harness, StripeInvoiceEvent("evt_0", "invoice.updated", invoice.Id, 6000, 9000, paidAt));
        Applier(harness).ApplyPending();
        var paid = harness.Payments.FindPaymentState(T, invoice.Id)!;

        Assert.Equal((PaymentState.PartiallyPaid, 60.00m), (partial.State, partial.AmountPaid));
        Assert.Equal((PaymentState.Paid, 150.00m), (paid.State, paid.AmountPaid));
        Assert.Equal([(60.00m, "evt_1"), (90.00m, "evt_2")], paid.Movements.Select(m => (m.Amount, m.ProviderEventId)));
        Assert.Equal(new DateTimeOffset(2026, 4, 3, 10, 0, 0, TimeSpan.Zero), paid.Movements[0].At);
    }

    [Fact]
    public void Stripe_refunds_move_a_paid_invoice_to_partially_refunded_then_refunded_and_post_cash_back_in_the_journal()
    {
        // LiteDB: the amounts and movements survive the store's serialization.
        using var harness = new PaymentHarness(liteDb: true);
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m, 50m]));
        var at = new DateTimeOffset(2026, 4, 3, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        Stripe(harness, StripeInvoiceEvent("evt_1", "invoice.paid", invoice.Id, 15000, 0, at));
        Stripe(harness, StripeRefund("evt_2", invoice.Id, 2500, at + 86400));
        Applier(harness).ApplyPending();
        var partly = harness.Payments.FindPaymentState(T, invoice.Id)!;
        Stripe(harness, StripeRefund("evt_3", invoice.Id, 15000, at + 2 * 86400));
        Applier(harness).ApplyPending();
        var refunded = harness.Payments.FindPaymentState(T, invoice.Id)!;

        Assert.Equal((PaymentState.PartiallyRefunded, 25.00m), (partly.State, partly.AmountRefunded));
        Assert.Equal((PaymentState.Refunded, 150.00m, 150.00m), (refunded.State, refunded.AmountPaid, refunded.AmountRefunded));

        var journal = JournalBuilder.Build(new JournalInput(T, [harness.Billing.FindInvoice(T, invoice.Id)!], OutcomeTimeline.Empty, [], [], [refunded]), harness.Time.GetUtcNow());
        var cash = journal.Where(e => e.Kind is JournalEntryKind.Payment or JournalEntryKind.Refund)
            .Select(e => (e.Kind, e.Date, e.Lines.Single(l => l.Account == LedgerAccounts.Cash).Debit, e.Lines.Single(l => l.Account == LedgerAccounts.Cash).Credit))
            .ToList();
        Assert.Equal(
            [(JournalEntryKind.Payment, new DateOnly(2026, 4, 3), 150.00m, 0m), (JournalEntryKind.Refund, new DateOnly(2026, 4, 4), 0m, 25.00m),
             (JournalEntryKind.Refund, new DateOnly(2026, 4, 5), 0m, 125.00m)],
            cash);
        Assert.All(journal, e => Assert.Equal(e.Debits, e.Credits));
    }

    [Fact]
    public void Razorpay_partial_payments_and_refunds_use_the_invoice_and_payment_running_totals()
    {
        using var harness = new PaymentHarness();
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "INR", 1, [1000m]));
        const string notes = "\"notes\":{\"engine_invoice_id\":\"INV\"}";
        string InvoiceEvent(string type, long paid, long due) =>
            ("{\"entity\":\"event\",\"event\":\"" + type + "\",\"created_at\":1775210400,\"payload\":{\"invoice\":{\"entity\":{\"id\":\"inv_1\",\"currency\":\"INR\",\"amount\":100000,"
             + "\"amount_paid\":" + paid + ",\"amount_due\":" + due + "," + notes + "}}}}").Replace("INV", invoice.Id, StringComparison.Ordinal);
        var refund = "{\"entity\":\"event\",\"event\":\"refund.processed\",\"created_at\":1775296800,\"payload\":{\"refund\":{\"entity\":{\"id\":\"rfnd_1\",\"amount\":10000,\"currency\":\"INR\",\"payment_id\":\"pay_1\"}},"
                     + "\"payment\":{\"entity\":{\"id\":\"pay_1\",\"invoice_id\":\"inv_1\",\"currency\":\"INR\",\"amount\":100000,\"amount_refunded\":10000}}}}";

        Razorpay(harness, InvoiceEvent("invoice.partially_paid", 40000, 60000), "evt_rzp_1");
        Applier(harness).ApplyPending();
        var partial = harness.Payments.FindPaymentState(T, invoice.Id)!;
        Razorpay(harness, InvoiceEvent("invoice.paid", 100000, 0), "evt_rzp_2");
        Applier(harness).ApplyPending();
        var paid = harness.Payments.FindPaymentState(T, invoice.Id)!;
        // The refund event names the Razorpay invoice only through its payment: mapped back through the outbox record.
        harness.Payments.AddSync(SyncRecord.New(T, invoice.Id, 1, SyncAction.Push, PaymentProvider.Razorpay, harness.Time.GetUtcNow()) with
        {
            ProviderInvoiceId = "inv_1",
        });
        Razorpay(harness, refund, "evt_rzp_3");
        Applier(harness).ApplyPending();
        var refunded = harness.Payments.FindPaymentState(T, invoice.Id)!;

        Assert.Equal((PaymentState.PartiallyPaid, 400.00m), (partial.State, partial.AmountPaid));
        Assert.Equal((PaymentState.Paid, 1000.00m), (paid.State, paid.AmountPaid));
        Assert.Equal((PaymentState.PartiallyRefunded, 100.00m), (refunded.State, refunded.AmountRefunded));
        Assert.Equal([PaymentMovementKind.Payment, PaymentMovementKind.Payment, PaymentMovementKind.Refund], refunded.Movements.Select(m => m.Kind));
    }
}
