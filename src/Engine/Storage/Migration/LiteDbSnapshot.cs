using LiteDB;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Storage.Migration;

/// <summary>
/// Everything a LiteDB store file holds, read in one pass: events in arrival order, ledger entries in append order,
/// each tenant's last invoice number, the host data (<see cref="HostSnapshot"/>) and
/// the payment records (<see cref="PaymentSnapshot"/>). The file is opened read-only
/// in direct mode, so a running server that has it open makes this fail (stop the server first: a copy must not
/// race new writes).
/// </summary>
public sealed record LiteDbSnapshot(
    IReadOnlyList<StoredEvent> Events,
    IReadOnlyList<RejectedEvent> Rejected,
    IReadOnlyList<Invoice> Invoices,
    IReadOnlyList<CreditGrant> Grants,
    IReadOnlyList<CreditLedgerEntry> Ledger,
    IReadOnlyDictionary<string, long> InvoiceNumbers,
    HostSnapshot Host,
    PaymentSnapshot Payments)
{
    /// <exception cref="InvalidOperationException">The file is missing, open elsewhere or not a RulesBilling store.</exception>
    public static LiteDbSnapshot Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new InvalidOperationException($"no LiteDB store at '{full}'");
        try
        {
            using var db = LiteDbFile.Open(full, readOnly: true);

            var events = db.GetCollection("events").FindAll().Select(BsonDocuments.Event).OrderBy(e => e.Sequence).ToList();
            var rejected = db.GetCollection("rejected").FindAll().Select(BsonDocuments.Rejected).ToList();
            var invoices = db.GetCollection("invoices").FindAll().Select(BsonDocuments.Invoice).ToList();
            var grants = db.GetCollection("grants").FindAll().Select(BsonDocuments.Grant).ToList();
            var ledger = db.GetCollection("ledger").FindAll().OrderBy(d => d["seq"].AsInt64).Select(BsonDocuments.Ledger).ToList();

            // Counter ids may be hashed (StoreKey), so look each known tenant's counter up rather than parse ids.
            var counters = db.GetCollection("counters");
            var numbers = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var tenants = events.Select(e => e.Tenant).Concat(invoices.Select(i => i.Tenant)).Concat(rejected.Select(r => r.Tenant))
                .Concat(grants.Select(g => g.Tenant)).Concat(ledger.Select(l => l.Tenant)).Distinct(StringComparer.Ordinal);
            foreach (var tenant in tenants)
            {
                if (counters.FindById(StoreKey.Compose("invoice-number", tenant)) is { } counter) numbers[tenant] = counter["value"].AsInt64;
            }
            return new LiteDbSnapshot(events, rejected, invoices, grants, ledger, numbers, HostSnapshot.Read(db), PaymentSnapshot.Read(db));
        }
        catch (Exception e) when (e is LiteException or IOException)
        {
            throw new InvalidOperationException($"cannot read the LiteDB store '{full}' (is a server still using it?): {e.Message}", e);
        }
    }

    /// <summary>Every tenant with any record, ordinal order.</summary>
    public IReadOnlyList<string> Tenants =>
        Events.Select(e => e.Tenant).Concat(Rejected.Select(r => r.Tenant)).Concat(Invoices.Select(i => i.Tenant))
            .Concat(Grants.Select(g => g.Tenant)).Concat(Ledger.Select(l => l.Tenant)).Concat(InvoiceNumbers.Keys)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every customer of <paramref name="tenant"/> that any record names, ordinal order.</summary>
    public IReadOnlyList<string> CustomersOf(string tenant) =>
        Events.Where(e => e.Tenant == tenant).Select(e => e.Subject)
            .Concat(Invoices.Where(i => i.Tenant == tenant).Select(i => i.Customer))
            .Concat(Grants.Where(g => g.Tenant == tenant).Select(g => g.Customer))
            .Concat(Ledger.Where(l => l.Tenant == tenant).Select(l => l.Customer))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
