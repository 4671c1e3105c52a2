namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// Called by the billing use cases (<see cref="Billing.InvoiceLifecycle"/>, <see cref="Billing.ThresholdInvoicing"/>, <see cref="Billing.InvoiceCorrections"/>) inside the store transaction that finalizes, voids or holds an
/// invoice, with that transaction's <see cref="IStoreSession"/>: whatever the listener writes through it (the payments
/// outbox through <c>transaction.Payments()</c>) commits or rolls back with the invoice. The notifications outbox still
/// writes through its own store, which joins the transaction by running on the same thread. A listener must be
/// synchronous and must not call out of the process. Several are combined with <see cref="CompositeFinalizationListener"/>.
/// </summary>
public interface IFinalizationListener
{
    void Finalized(IStoreSession transaction, Invoice invoice);

    void Voided(IStoreSession transaction, Invoice invoice);

    /// <summary>A guard held the invoice (stored as <see cref="InvoiceStatus.Held"/>); called on each Finalize that holds it.</summary>
    void Held(IStoreSession transaction, Invoice invoice)
    {
        // Most listeners (the payments outbox) have nothing to do until the invoice is finalized.
    }
}
