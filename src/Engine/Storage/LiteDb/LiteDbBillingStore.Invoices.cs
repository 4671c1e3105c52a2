using LiteDB;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Storage;

/// <summary>Invoices and the per-tenant invoice numbers.</summary>
public sealed partial class LiteDbBillingStore
{
    /// <summary>LiteDB's EXPLAIN of the invoice read of one customer.</summary>
    internal BsonDocument InvoiceQueryPlan(string tenant, string customer) =>
        _invoices.Query().Where(LiteDbQuery.Equal("tc", StoreKey.Compose(tenant, customer))).GetPlan();

    public void SaveInvoice(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        Write(() => _invoices.Upsert(BsonDocuments.Invoice(invoice)));
    }

    public Invoice? FindInvoice(string tenant, string invoiceId) =>
        _invoices.FindById(StoreKey.Compose(tenant, invoiceId)) is { } d ? BsonDocuments.Invoice(d) : null;

    public IReadOnlyList<Invoice> ListInvoices(string tenant, string? customer = null)
    {
        var documents = customer is null
            ? _invoices.Find(Query.EQ("tenant", tenant))
            : _invoices.Find(LiteDbQuery.Equal("tc", StoreKey.Compose(tenant, customer)));
        return StoreOrder.Invoices(documents.Select(BsonDocuments.Invoice)
            .Where(i => i.Tenant == tenant && (customer is null || i.Customer == customer)));
    }

    public long NextInvoiceNumber(string tenant) => Write(() => Advance(StoreKey.Compose(InvoiceNumber, tenant), 1) + 1);
}
