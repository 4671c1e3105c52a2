using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Storage;

/// <summary>Outcome of appending one event.</summary>
public enum AppendStatus { Accepted, Duplicate }

/// <summary>
/// The engine's persistence boundary. Rating never sees the backend, only this interface.
/// Every write is durable (committed) before the method returns; an append of an existing (tenant, source, id)
/// reports <see cref="AppendStatus.Duplicate"/> and changes nothing.
/// </summary>
public interface IBillingStore : IDisposable
{
    /// <summary>Appends a batch atomically; results are in input order.</summary>
    IReadOnlyList<AppendStatus> AppendEvents(IReadOnlyList<StoredEvent> events);

    /// <summary>Events of a tenant in a deterministic order (event time, source, id), optionally for one customer.</summary>
    IEnumerable<StoredEvent> ReadEvents(string tenant, string? customer = null, DateTimeOffset? storedBefore = null);

    IReadOnlyList<string> Customers(string tenant);

    void AddRejected(RejectedEvent rejected);
    IReadOnlyList<RejectedEvent> ReadRejected(string tenant);
    void RemoveRejected(string tenant, string rejectionId);

    void SaveInvoice(Invoice invoice);
    Invoice? FindInvoice(string tenant, string invoiceId);
    IReadOnlyList<Invoice> ListInvoices(string tenant, string? customer = null);
    /// <summary>Next invoice number in the tenant's sequence (gap-free, strictly increasing).</summary>
    long NextInvoiceNumber(string tenant);

    void SaveGrant(CreditGrant grant);
    IReadOnlyList<CreditGrant> ListGrants(string tenant, string customer);
    void AppendLedger(CreditLedgerEntry entry);
    IReadOnlyList<CreditLedgerEntry> ReadLedger(string tenant, string customer);

    /// <summary>
    /// Runs <paramref name="work"/> as one transaction: finalizing an invoice, consuming credits and
    /// writing ledger entries either all commit or none.
    /// </summary>
    T InTransaction<T>(Func<IBillingStore, T> work);
}
