using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Writes the outbox rows, inside the billing transaction: a push for each finalized invoice of a customer with a
/// provider, and a void for each voided invoice that was pushed. Credit notes and adjustments are not sent yet.
/// </summary>
public sealed class PaymentOutbox(IPaymentStore payments, TimeProvider time) : IFinalizationListener
{
    /// <summary>Revision of a first push; a later revision re-sends changed content under new keys.</summary>
    public const int FirstRevision = 1;

    public void Finalized(IBillingStore transaction, Invoice invoice)
    {
        if (invoice.Kind != InvoiceKind.Invoice) return;
        var provider = payments.FindCustomerSettings(invoice.Tenant, invoice.Customer)?.Provider ?? PaymentProvider.None;
        if (provider == PaymentProvider.None) return;
        payments.AddSync(SyncRecord.New(invoice.Tenant, invoice.Id, FirstRevision, SyncAction.Push, provider, time.GetUtcNow()));
    }

    public void Voided(IBillingStore transaction, Invoice invoice)
    {
        var pushes = payments.ListSync(invoice.Tenant)
            .Where(r => r.InvoiceId == invoice.Id && r.Action == SyncAction.Push)
            .ToList();
        foreach (var push in pushes)
        {
            payments.AddSync(SyncRecord.New(invoice.Tenant, invoice.Id, push.Revision, SyncAction.Void, push.Provider, time.GetUtcNow()));
        }
    }
}
