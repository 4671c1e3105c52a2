using System.Text.Json;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Billing;
using RulesBilling.Engine.Tests.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Notifications;

/// <summary>
/// Invoice notifications raised when things happen, in the billing file: inside the finalize and void transactions
/// (next to the payments outbox, through the composite listener) and when a provider payment event is applied.
/// </summary>
public sealed class InvoiceNotificationTests : IDisposable
{
    private static readonly DateTimeOffset March = At("2026-03-01T00:00:00Z");
    private static readonly string[] Everything = [.. NotificationTypes.All];

    private readonly TempDirectory _directory = new();
    private readonly LiteDbBillingStore _store;
    private readonly LiteDbPaymentStore _payments;
    private readonly LiteDbNotificationStore _notifications;
    private readonly Billing.TestClock _clock = new(At("2026-04-02T00:00:00Z"));
    private readonly InvoiceNotifications _listener;

    public InvoiceNotificationTests()
    {
        _store = new LiteDbBillingStore(_directory.File("billing.db"));
        _payments = new LiteDbPaymentStore(_store);
        _notifications = new LiteDbNotificationStore(_store);
        _notifications.SaveSubscription(new WebhookSubscription(T, "sub-1", "https://example.com/hook", Everything, "whsec_x", [], _clock.Now));
        _listener = new InvoiceNotifications(new NotificationOutbox(_notifications, _clock), _store, _clock);
        Append(_store, ClosedEvent("e1", "acme", "2026-03-02T10:00:00Z", "T-1"));
        _payments.SaveCustomerSettings(new CustomerPaymentSettings(T, "acme", PaymentProvider.Stripe));
    }

    public void Dispose()
    {
        _notifications.Dispose();
        _store.Dispose();
        _directory.Dispose();
    }

    private UseCases Engine(params IFinalizationListener[] extra) =>
        new(_store, new FixedRuleSet(Rules()), _clock, new CompositeFinalizationListener([new PaymentOutbox(_clock), _listener, .. extra]));

    private List<(string Type, JsonElement Data)> Delivered() => _notifications.ListDeliveries(T)
        .Select(d => (d.Type, JsonDocument.Parse(d.Body).RootElement.GetProperty("data").Clone()))
        .ToList();

    [Fact]
    public void Finalizing_raises_one_invoice_finalized_with_the_outbox_row_and_voiding_raises_invoice_voided()
    {
        var engine = Engine();
        var invoice = engine.Finalize(T, "acme", March);
        engine.Finalize(T, "acme", March);

        var finalized = Assert.Single(Delivered());
        Assert.Equal(NotificationTypes.InvoiceFinalized, finalized.Type);
        Assert.Equal((invoice.Id, invoice.Number, "USD", "102.50"), (finalized.Data.GetProperty("invoiceId").GetString(),
            finalized.Data.GetProperty("number").GetString(), finalized.Data.GetProperty("currency").GetString(), finalized.Data.GetProperty("total").GetString()));
        Assert.Single(_payments.ListSync(T));

        engine.Void(T, invoice.Id);
        engine.Void(T, invoice.Id);
        Assert.Equal([NotificationTypes.InvoiceFinalized, NotificationTypes.InvoiceVoided], Delivered().Select(d => d.Type).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_finalization_that_fails_after_the_listeners_leaves_neither_the_notification_nor_the_outbox_row()
    {
        var engine = Engine(new Failing());

        Assert.Throws<InvalidOperationException>(() => engine.Finalize(T, "acme", March));

        Assert.Empty(_notifications.ListDeliveries(T));
        Assert.Empty(_payments.ListSync(T));
        Assert.DoesNotContain(_store.ListInvoices(T), i => i.Status == InvoiceStatus.Finalized);
        // Nothing was recorded as seen either: a successful retry raises it.
        Engine().Finalize(T, "acme", March);
        Assert.Equal(NotificationTypes.InvoiceFinalized, Assert.Single(Delivered()).Type);
    }

    [Fact]
    public void Applied_provider_events_raise_payment_failed_per_event_and_paid_once()
    {
        var invoice = Engine().Finalize(T, "acme", March);
        var applier = new WebhookApplier(_payments, _clock, _listener);
        WebhookEvent Event(string id, WebhookEventKind kind) =>
            new(T, PaymentProvider.Stripe, id, kind == WebhookEventKind.Paid ? "invoice.paid" : "invoice.payment_failed", kind, "in_1", invoice.Id, _clock.Now, false, "{}");

        _payments.AddWebhookEvent(Event("evt_failed", WebhookEventKind.PaymentFailed));
        _payments.AddWebhookEvent(Event("evt_paid", WebhookEventKind.Paid));
        applier.ApplyPending();
        // Paid is final: a later paid event (another delivery of the fact) changes nothing and raises nothing.
        _payments.AddWebhookEvent(Event("evt_paid_again", WebhookEventKind.Paid));
        applier.ApplyPending();

        var payments = Delivered().Where(d => d.Type != NotificationTypes.InvoiceFinalized).ToList();
        Assert.Equal([NotificationTypes.InvoicePaid, NotificationTypes.InvoicePaymentFailed], payments.Select(p => p.Type).Order(StringComparer.Ordinal));
        Assert.All(payments, p => Assert.Equal((invoice.Id, "stripe", "in_1"),
            (p.Data.GetProperty("invoiceId").GetString(), p.Data.GetProperty("provider").GetString(), p.Data.GetProperty("providerInvoiceId").GetString())));
        Assert.Equal("evt_paid", payments.Single(p => p.Type == NotificationTypes.InvoicePaid).Data.GetProperty("providerEventId").GetString());
        Assert.Equal(PaymentState.Paid, _payments.FindPaymentState(T, invoice.Id)!.State);
    }

    private sealed class Failing : IFinalizationListener
    {
        public void Finalized(IStoreSession transaction, Invoice invoice) => throw new InvalidOperationException("crash after the listeners wrote");

        public void Voided(IStoreSession transaction, Invoice invoice) => throw new InvalidOperationException("crash after the listeners wrote");
    }
}
