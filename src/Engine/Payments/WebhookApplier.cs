using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Applies stored webhook events to invoice payment states, oldest first, each once. Paid and voided are final
/// against failures and voids: a late "payment failed" delivered out of order does not undo them; refunds still
/// apply to a paid invoice. Payment and refund events move <see cref="InvoicePaymentState.AmountPaid"/> and
/// <see cref="InvoicePaymentState.AmountRefunded"/> to the provider's running totals (never down, so redeliveries and
/// reordering change nothing) and record each increase as a <see cref="PaymentMovement"/> for the journal: partially
/// paid until the invoice total (or the provider's remaining amount reaches 0), refunded once everything paid was given
/// back. An event without amounts (an older payload) counts as payment of the whole invoice. Events for invoices we
/// cannot map back (no metadata, unknown provider id) are marked applied without effect. A <paramref name="listener"/>
/// (the invoice.paid and invoice.payment_failed notifications) is told of each state before it is saved.
/// </summary>
/// <param name="invoices">Where invoice totals and currencies are read (amounts are then exact); without it the provider's figures are used as they are.</param>
public sealed class WebhookApplier(IPaymentStore store, TimeProvider time, IPaymentStateListener? listener = null, IInvoiceStore? invoices = null)
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
                var invoice = invoices?.FindInvoice(e.Tenant, invoiceId);
                if (Next(e, invoiceId, current, invoice) is { } next)
                {
                    listener?.Applying(next, e);
                    store.SavePaymentState(next);
                }
            }
            store.SaveWebhookEvent(e with { Applied = true });
        }
        return events.Count;
    }

    private InvoicePaymentState? Next(WebhookEvent e, string invoiceId, InvoicePaymentState? current, Invoice? invoice)
    {
        var now = time.GetUtcNow();
        var baseline = current ?? new InvoicePaymentState(e.Tenant, invoiceId, e.Provider, e.ProviderInvoiceId ?? "", PaymentState.Sent, now, null);
        var updated = baseline with
        {
            Provider = e.Provider,
            ProviderInvoiceId = e.ProviderInvoiceId ?? current?.ProviderInvoiceId ?? "",
            UpdatedAt = now,
            LastEventId = e.EventId,
        };
        switch (e.Kind)
        {
            case WebhookEventKind.Paid:
                if (current is { State: PaymentState.Voided }) return null;
                return Paid(updated, e, invoice);
            case WebhookEventKind.Refunded:
                return Refunded(updated, e, invoice);
            default:
                if (current is { State: PaymentState.Paid or PaymentState.Voided or PaymentState.Refunded or PaymentState.PartiallyRefunded }) return null;
                return updated with { State = e.Kind == WebhookEventKind.PaymentFailed ? PaymentState.PaymentFailed : PaymentState.Voided };
        }
    }

    private static InvoicePaymentState Paid(InvoicePaymentState state, WebhookEvent e, Invoice? invoice)
    {
        var currency = Currency(e, invoice);
        var total = invoice?.Total;
        var paid = e.Amounts?.Paid is { } minor && currency is not null
            ? ProviderMoney.FromMinorUnits(minor, currency, e.Provider)
            : total ?? state.AmountPaid;
        var next = Moved(state, PaymentMovementKind.Payment, paid, currency, e);
        var settled = e.Amounts?.Remaining is { } remaining ? remaining <= 0 : total is null || next.AmountPaid >= total;
        return next with { State = next.AmountRefunded > 0m ? RefundState(next) : settled ? PaymentState.Paid : PaymentState.PartiallyPaid };
    }

    private static InvoicePaymentState Refunded(InvoicePaymentState state, WebhookEvent e, Invoice? invoice)
    {
        var currency = Currency(e, invoice);
        if (currency is null || e.Amounts is not { } amounts) return state;
        var refunded = amounts.Refunded is { } total
            ? ProviderMoney.FromMinorUnits(total, currency, e.Provider)
            : amounts.Refund is { } one ? state.AmountRefunded + ProviderMoney.FromMinorUnits(one, currency, e.Provider) : state.AmountRefunded;
        var next = Moved(state, PaymentMovementKind.Refund, refunded, currency, e);
        return next with { State = RefundState(next) };
    }

    private static PaymentState RefundState(InvoicePaymentState s) =>
        s.AmountRefunded >= s.AmountPaid && s.AmountPaid > 0m ? PaymentState.Refunded : PaymentState.PartiallyRefunded;

    /// <summary>Moves a running total up to <paramref name="reported"/> (never down) and records the increase.</summary>
    private static InvoicePaymentState Moved(InvoicePaymentState state, PaymentMovementKind kind, decimal reported, string? currency, WebhookEvent e)
    {
        var before = kind == PaymentMovementKind.Payment ? state.AmountPaid : state.AmountRefunded;
        if (reported <= before || currency is null) return state;
        var movement = new PaymentMovement(kind, reported - before, currency.ToUpperInvariant(), e.Amounts?.OccurredAt ?? e.ReceivedAt, e.EventId);
        var moved = state with { Movements = [.. state.Movements, movement] };
        return kind == PaymentMovementKind.Payment ? moved with { AmountPaid = reported } : moved with { AmountRefunded = reported };
    }

    private static string? Currency(WebhookEvent e, Invoice? invoice) => invoice?.Currency ?? e.Amounts?.Currency?.ToUpperInvariant();

    private string? InvoiceOf(WebhookEvent e) =>
        e.EngineInvoiceId
        ?? store.ListSync(e.Tenant).FirstOrDefault(r => r.Provider == e.Provider && r.ProviderInvoiceId == e.ProviderInvoiceId && e.ProviderInvoiceId is not null)?.InvoiceId;
}
