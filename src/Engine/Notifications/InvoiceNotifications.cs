using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Notifications;

/// <summary>
/// Raises the invoice notifications when they happen rather than by scanning invoices: invoice.finalized,
/// invoice.voided and guard.triggered inside the billing transaction that finalizes, voids or holds the invoice
/// (with the outbox in the billing file the notification commits with the invoice, or not at all), and
/// invoice.paid / invoice.payment_failed when a provider event is applied. A credit note is announced as
/// credit_note.created / credit_note.voided (Stripe's and Lago's names); an adjustment is an invoice the customer
/// pays, so it is announced as invoice.finalized / invoice.voided like any invoice, its <c>kind</c> and
/// <c>corrects</c> telling it apart. Guards are announced for whatever document they held.
/// </summary>
public sealed class InvoiceNotifications(INotificationPublisher publisher, IInvoiceStore invoices, TimeProvider time)
    : IFinalizationListener, IPaymentStateListener
{
    public void Finalized(IStoreSession transaction, Invoice invoice)
    {
        Publish(invoice, invoice.Kind == InvoiceKind.CreditNote ? NotificationTypes.CreditNoteCreated : NotificationTypes.InvoiceFinalized);
        Guards(invoice);
    }

    public void Voided(IStoreSession transaction, Invoice invoice)
    {
        Publish(invoice, invoice.Kind == InvoiceKind.CreditNote ? NotificationTypes.CreditNoteVoided : NotificationTypes.InvoiceVoided);
    }

    public void Held(IStoreSession transaction, Invoice invoice) => Guards(invoice);

    public void Applying(InvoicePaymentState state, WebhookEvent providerEvent)
    {
        var type = state.State switch
        {
            PaymentState.Paid => NotificationTypes.InvoicePaid,
            PaymentState.PaymentFailed => NotificationTypes.InvoicePaymentFailed,
            _ => null,
        };
        // An event for an invoice we do not hold cannot be described; the payment state still records it.
        if (type is null || invoices.FindInvoice(state.Tenant, state.InvoiceId) is not { } invoice) return;
        // Paid is final (once per invoice); each failed attempt is its own provider event.
        var id = type == NotificationTypes.InvoicePaid
            ? NotificationData.Id(state.Tenant, type, invoice.Id)
            : NotificationData.Id(state.Tenant, type, invoice.Id, state.Provider.ToString(), providerEvent.EventId);
        publisher.Publish(new Notification(state.Tenant, id, type, invoice.Customer, time.GetUtcNow(), NotificationData.Object(w =>
        {
            NotificationData.WriteInvoice(w, invoice);
            w.WriteString("provider", state.Provider.ToString().ToLowerInvariant());
            w.WriteString("providerInvoiceId", state.ProviderInvoiceId);
            w.WriteString("providerEventId", providerEvent.EventId);
        })));
    }

    private void Publish(Invoice invoice, string type) =>
        publisher.Publish(new Notification(invoice.Tenant, NotificationData.Id(invoice.Tenant, type, invoice.Id), type, invoice.Customer,
            time.GetUtcNow(), NotificationData.Object(w => NotificationData.WriteInvoice(w, invoice))));

    private void Guards(Invoice invoice)
    {
        foreach (var guard in invoice.Guards.Where(g => g.Triggered).OrderBy(g => g.Guard, StringComparer.Ordinal))
        {
            publisher.Publish(new Notification(invoice.Tenant, NotificationData.Id(invoice.Tenant, NotificationTypes.GuardTriggered, invoice.Id, guard.Guard),
                NotificationTypes.GuardTriggered, invoice.Customer, time.GetUtcNow(), NotificationData.Object(w =>
                {
                    w.WriteString("invoiceId", invoice.Id);
                    w.WriteString("invoiceStatus", InvoiceNames.Of(invoice.Status));
                    w.WriteString("guard", guard.Guard);
                    w.WriteString("action", guard.Action);
                    w.WriteString("condition", guard.Condition);
                    w.WriteString("detail", guard.Detail);
                })));
        }
    }
}
