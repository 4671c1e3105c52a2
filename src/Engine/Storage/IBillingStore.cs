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
    /// <summary>
    /// Appends a batch atomically; results are in input order. A repeat of an earlier event in the same batch is
    /// also a duplicate (the first copy wins). The input <see cref="StoredEvent.Sequence"/> is ignored: the store
    /// assigns strictly increasing numbers to accepted events in input order. Times are stored as UTC instants.
    /// </summary>
    IReadOnlyList<AppendStatus> AppendEvents(IReadOnlyList<StoredEvent> events);

    /// <summary>
    /// Events of a tenant in a deterministic order (event time, then source and id ordinally), optionally for one
    /// customer and only those with StoredAt strictly before <paramref name="storedBefore"/>. Fully materialized.
    /// </summary>
    IEnumerable<StoredEvent> ReadEvents(string tenant, string? customer = null, DateTimeOffset? storedBefore = null);

    /// <summary>Distinct subjects of the tenant's stored events, ordinal order.</summary>
    IReadOnlyList<string> Customers(string tenant);

    /// <summary>Adds or replaces the rejection with the same (Tenant, RejectionId).</summary>
    void AddRejected(RejectedEvent rejected);
    /// <summary>Ordered by RejectedAt, then RejectionId.</summary>
    IReadOnlyList<RejectedEvent> ReadRejected(string tenant);
    /// <summary>Removing an unknown id does nothing.</summary>
    void RemoveRejected(string tenant, string rejectionId);

    /// <summary>Inserts or replaces the invoice with the same (Tenant, Id); immutability of finalized invoices is the caller's rule.</summary>
    void SaveInvoice(Invoice invoice);
    Invoice? FindInvoice(string tenant, string invoiceId);
    /// <summary>Ordered by PeriodFrom, then Id.</summary>
    IReadOnlyList<Invoice> ListInvoices(string tenant, string? customer = null);
    /// <summary>
    /// Next invoice number in the tenant's sequence (1, 2, 3, ...: gap-free, strictly increasing). Call it inside
    /// <see cref="InTransaction{T}"/> together with saving the finalized invoice: a rollback returns the number.
    /// </summary>
    long NextInvoiceNumber(string tenant);

    /// <summary>Inserts or replaces the grant with the same (Tenant, Id).</summary>
    void SaveGrant(CreditGrant grant);
    /// <summary>Ordered by GrantedAt, then Id.</summary>
    IReadOnlyList<CreditGrant> ListGrants(string tenant, string customer);
    /// <summary>Appends; an entry whose (Tenant, Id) exists throws <see cref="InvalidOperationException"/> (the ledger is append-only).</summary>
    void AppendLedger(CreditLedgerEntry entry);
    /// <summary>In append order.</summary>
    IReadOnlyList<CreditLedgerEntry> ReadLedger(string tenant, string customer);

    /// <summary>
    /// Runs <paramref name="work"/> as one transaction: finalizing an invoice, consuming credits and
    /// writing ledger entries either all commit or none. An exception rolls everything back and propagates.
    /// <paramref name="work"/> must run synchronously on the calling thread; a nested call joins the outer
    /// transaction. Other threads do not see its writes before it commits.
    /// </summary>
    T InTransaction<T>(Func<IBillingStore, T> work);
}
