namespace RulesBilling.Engine.Payments;

/// <summary>
/// Applies stored webhook events to invoice payment states, oldest first, each once. Paid and voided are final:
/// a late "payment failed" delivered out of order does not undo them. Events for invoices we cannot map back
/// (no metadata, unknown provider id) are marked applied without effect. A <paramref name="listener"/> (the
/// invoice.paid and invoice.payment_failed notifications) is told of each state before it is saved.
/// </summary>
public sealed class WebhookApplier(IPaymentStore store, TimeProvider time, IPaymentStateListener? listener = null)
{
    /// <summary>Returns the number of events applied.</summary>
    public int ApplyPending()
    {
        var events = store.ListUnappliedWebhookEvents();
        foreach (var e in events)
        {
            if (e.Kind != WebhookEventKind.Ignored && InvoiceOf(e) is { } invoiceId)
            {
                var current = store.FindPaymentState(e.Tenant, invoiceId);
                if (current is not { State: PaymentState.Paid or PaymentState.Voided })
                {
                    var state = e.Kind switch
                    {
                        WebhookEventKind.Paid => PaymentState.Paid,
                        WebhookEventKind.PaymentFailed => PaymentState.PaymentFailed,
                        _ => PaymentState.Voided,
                    };
                    var next = new InvoicePaymentState(e.Tenant, invoiceId, e.Provider,
                        e.ProviderInvoiceId ?? current?.ProviderInvoiceId ?? "", state, time.GetUtcNow(), e.EventId);
                    listener?.Applying(next, e);
                    store.SavePaymentState(next);
                }
            }
            store.SaveWebhookEvent(e with { Applied = true });
        }
        return events.Count;
    }

    private string? InvoiceOf(WebhookEvent e) =>
        e.EngineInvoiceId
        ?? store.ListSync(e.Tenant).FirstOrDefault(r => r.Provider == e.Provider && r.ProviderInvoiceId == e.ProviderInvoiceId && e.ProviderInvoiceId is not null)?.InvoiceId;
}
