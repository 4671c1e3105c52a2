using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Called by <see cref="BillingEngine"/> inside the store transaction that finalizes, voids or holds an invoice, so
/// that whatever it writes through <paramref name="transaction"/> (or a store joined to it, e.g. the payments or the
/// notifications outbox) commits or rolls back with the invoice. It must be synchronous and must not call out of
/// the process. Several listeners are combined with <see cref="CompositeFinalizationListener"/>.
/// </summary>
public interface IFinalizationListener
{
    void Finalized(IBillingStore transaction, Invoice invoice);

    void Voided(IBillingStore transaction, Invoice invoice);

    /// <summary>A guard held the invoice (stored as <see cref="InvoiceStatus.Held"/>); called on each Finalize that holds it.</summary>
    void Held(IBillingStore transaction, Invoice invoice)
    {
        // Most listeners (the payments outbox) have nothing to do until the invoice is finalized.
    }
}
