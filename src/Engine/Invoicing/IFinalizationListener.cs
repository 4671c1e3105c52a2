namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// Called by <see cref="Billing.BillingEngine"/> inside the store transaction that finalizes, voids or holds an invoice, so
/// that whatever it writes through <paramref name="transaction"/> (or a store joined to it, e.g. the payments or the
/// notifications outbox) commits or rolls back with the invoice. It must be synchronous and must not call out of
/// the process. Several listeners are combined with <see cref="CompositeFinalizationListener"/>.
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
