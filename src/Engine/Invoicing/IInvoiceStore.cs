namespace RulesBilling.Engine.Invoicing;

/// <summary>Invoices, credit notes and adjustments of every tenant, and each tenant's invoice numbers.</summary>
public interface IInvoiceStore
{
    /// <summary>Inserts or replaces the invoice with the same (Tenant, Id); immutability of finalized invoices is the caller's rule.</summary>
    void SaveInvoice(Invoice invoice);

    Invoice? FindInvoice(string tenant, string invoiceId);

    /// <summary>Ordered by PeriodFrom, then Id.</summary>
    IReadOnlyList<Invoice> ListInvoices(string tenant, string? customer = null);

    /// <summary>
    /// Next invoice number in the tenant's sequence (1, 2, 3, ...: gap-free, strictly increasing). Call it inside
    /// <see cref="IStoreSession.InTransaction{T}"/> together with saving the finalized invoice: a rollback returns the number.
    /// </summary>
    long NextInvoiceNumber(string tenant);
}
