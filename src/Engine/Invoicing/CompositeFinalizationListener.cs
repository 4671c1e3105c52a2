namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// Tells several listeners, in the given order, inside the same transaction: any of them throwing rolls back the
/// invoice and everything the others wrote (e.g. the payments outbox row and the invoice.finalized notification).
/// </summary>
public sealed class CompositeFinalizationListener(params IReadOnlyList<IFinalizationListener> listeners) : IFinalizationListener
{
    public void Finalized(IStoreSession transaction, Invoice invoice)
    {
        foreach (var listener in listeners) listener.Finalized(transaction, invoice);
    }

    public void Voided(IStoreSession transaction, Invoice invoice)
    {
        foreach (var listener in listeners) listener.Voided(transaction, invoice);
    }

    public void Held(IStoreSession transaction, Invoice invoice)
    {
        foreach (var listener in listeners) listener.Held(transaction, invoice);
    }
}
