using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Called by <see cref="BillingEngine"/> inside the store transaction that finalizes or voids an invoice, so that
/// whatever it writes through <paramref name="transaction"/> (or a store joined to it, e.g. the payments outbox)
/// commits or rolls back with the invoice. It must be synchronous and must not call out of the process.
/// </summary>
public interface IFinalizationListener
{
    void Finalized(IBillingStore transaction, Invoice invoice);

    void Voided(IBillingStore transaction, Invoice invoice);
}
