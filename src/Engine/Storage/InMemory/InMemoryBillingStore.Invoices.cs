using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Storage;

/// <summary>Invoices and the per-tenant invoice numbers.</summary>
public sealed partial class InMemoryBillingStore
{
    public void SaveInvoice(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var copy = BsonDocuments.Invoice(BsonDocuments.Invoice(invoice));
        Write(state => state with { Invoices = state.Invoices.SetItem((copy.Tenant, copy.Id), copy) });
    }

    public Invoice? FindInvoice(string tenant, string invoiceId) =>
        Current.Invoices.GetValueOrDefault((tenant, invoiceId));

    public IReadOnlyList<Invoice> ListInvoices(string tenant, string? customer = null) =>
        StoreOrder.Invoices(Current.Invoices.Values.Where(i => i.Tenant == tenant && (customer is null || i.Customer == customer)));

    public long NextInvoiceNumber(string tenant) => Write(state =>
    {
        var next = state.InvoiceNumbers.GetValueOrDefault(tenant) + 1;
        return (state with { InvoiceNumbers = state.InvoiceNumbers.SetItem(tenant, next) }, next);
    });
}
