using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RulesBilling.Engine.Storage.Migration;

/// <summary>
/// Counts, money totals and a content digest of one tenant's data, computed the same way on both sides of a copy
/// so that equality proves the copy. The event digest is SHA-256 over every event's identity, type, subject, exact
/// times and data in read order; sequences are left out because the target numbers events itself.
/// </summary>
public sealed record TenantSummary(
    string Tenant,
    int Events,
    string EventDigest,
    int Rejected,
    int Invoices,
    decimal InvoiceTotal,
    int Grants,
    decimal GrantAmount,
    int LedgerEntries,
    decimal LedgerAmount)
{
    /// <summary>Summarises what <paramref name="store"/> holds for the tenant and customers a snapshot names.</summary>
    public static TenantSummary Of(IBillingStore store, string tenant, IReadOnlyList<string> customers)
    {
        var events = store.ReadEvents(tenant).ToList();
        var invoices = store.ListInvoices(tenant);
        var grants = customers.SelectMany(c => store.ListGrants(tenant, c)).ToList();
        var ledger = customers.SelectMany(c => store.ReadLedger(tenant, c)).ToList();
        return new TenantSummary(
            tenant,
            events.Count,
            Digest(events),
            store.ReadRejected(tenant).Count,
            invoices.Count,
            invoices.Sum(i => i.Total),
            grants.Count,
            grants.Sum(g => g.Amount),
            ledger.Count,
            ledger.Sum(l => l.Amount));
    }

    /// <summary>The same summary computed from the snapshot's records directly.</summary>
    public static TenantSummary Of(LiteDbSnapshot snapshot, string tenant)
    {
        var events = StoreOrder.Events(snapshot.Events.Where(e => e.Tenant == tenant));
        var invoices = snapshot.Invoices.Where(i => i.Tenant == tenant).ToList();
        var grants = snapshot.Grants.Where(g => g.Tenant == tenant).ToList();
        var ledger = snapshot.Ledger.Where(l => l.Tenant == tenant).ToList();
        return new TenantSummary(
            tenant,
            events.Count,
            Digest(events),
            snapshot.Rejected.Count(r => r.Tenant == tenant),
            invoices.Count,
            invoices.Sum(i => i.Total),
            grants.Count,
            grants.Sum(g => g.Amount),
            ledger.Count,
            ledger.Sum(l => l.Amount));
    }

    private static string Digest(IEnumerable<StoredEvent> events)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var e in events)
        {
            foreach (var part in (ReadOnlySpan<string>)[e.Tenant, e.Source, e.Id, e.Type, e.Subject, e.DataJson,
                         e.Time.UtcTicks.ToString(CultureInfo.InvariantCulture), e.StoredAt.UtcTicks.ToString(CultureInfo.InvariantCulture)])
            {
                hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{part.Length}:{part}")));
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
