using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Tells several listeners, in the given order, inside the same transaction: any of them throwing rolls back the
/// invoice and everything the others wrote (e.g. the payments outbox row and the invoice.finalized notification).
/// </summary>
public sealed class CompositeFinalizationListener(params IReadOnlyList<IFinalizationListener> listeners) : IFinalizationListener
{
    public void Finalized(IBillingStore transaction, Invoice invoice)
    {
        foreach (var listener in listeners) listener.Finalized(transaction, invoice);
    }

    public void Voided(IBillingStore transaction, Invoice invoice)
    {
        foreach (var listener in listeners) listener.Voided(transaction, invoice);
    }

    public void Held(IBillingStore transaction, Invoice invoice)
    {
        foreach (var listener in listeners) listener.Held(transaction, invoice);
    }
}
