using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Writes the outbox rows through the payment store of the billing transaction it is told of, so they commit or roll
/// back with the invoice: a push for each finalized invoice of a customer with a provider, and a void for each voided
/// invoice that was pushed. An adjustment is pushed like an invoice (it is one:
/// a positive amount the customer owes); a credit note is pushed to the provider its original was pushed to, and only
/// when the original was pushed (there is nothing to credit at a provider that never saw the invoice).
/// </summary>
public sealed class PaymentOutbox(TimeProvider time) : IFinalizationListener
{
    /// <summary>Revision of a first push; a later revision re-sends changed content under new keys.</summary>
    public const int FirstRevision = 1;

    public void Finalized(IStoreSession transaction, Invoice invoice)
    {
        var payments = transaction.Payments();
        if (invoice.Kind == InvoiceKind.CreditNote)
        {
            if (invoice.Corrects is not { } original) return;
            var push = payments.FindSync(SyncIds.Record(invoice.Tenant, original, FirstRevision, SyncAction.Push));
            if (push is null || push.Status == SyncStatus.Cancelled) return;
            payments.AddSync(SyncRecord.New(invoice.Tenant, invoice.Id, FirstRevision, SyncAction.Push, push.Provider, time.GetUtcNow()));
            return;
        }
        var provider = payments.FindCustomerSettings(invoice.Tenant, invoice.Customer)?.Provider ?? PaymentProvider.None;
        if (provider == PaymentProvider.None) return;
        payments.AddSync(SyncRecord.New(invoice.Tenant, invoice.Id, FirstRevision, SyncAction.Push, provider, time.GetUtcNow()));
    }

    public void Voided(IStoreSession transaction, Invoice invoice)
    {
        var payments = transaction.Payments();
        var pushes = payments.ListSync(invoice.Tenant)
            .Where(r => r.InvoiceId == invoice.Id && r.Action == SyncAction.Push)
            .ToList();
        foreach (var push in pushes)
        {
            payments.AddSync(SyncRecord.New(invoice.Tenant, invoice.Id, push.Revision, SyncAction.Void, push.Provider, time.GetUtcNow()));
        }
    }
}
