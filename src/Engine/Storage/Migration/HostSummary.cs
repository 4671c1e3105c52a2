using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RulesBilling.Engine.Notifications;

namespace RulesBilling.Engine.Storage.Migration;

/// <summary>
/// Counts of one tenant's host data and a digest of its rule-set versions (number, hash, files, upload time and
/// comment) and of its webhook subscriptions (every field), computed the same way from the source file and from the target so that equality proves the copy.
/// API keys are counted as the source's key hashes that resolve to this tenant (a store cannot list keys).
/// </summary>
public sealed record HostSummary(
    string Tenant,
    bool TenantRecord,
    int ApiKeys,
    int Customers,
    int ContractAssignments,
    int RuleSets,
    string RuleSetDigest,
    int AuditEntries,
    int WebhookSubscriptions,
    string SubscriptionDigest)
{
    /// <summary>Summarises what <paramref name="store"/> holds for the tenant, looking up the keys and customers the snapshot names.</summary>
    public static HostSummary Of(ITenantStore store, INotificationStore notifications, string tenant, HostSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(snapshot);
        var customers = store.ListCustomers(tenant);
        var assigned = customers.Select(c => c.Id).Concat(snapshot.Assignments.Where(a => a.Tenant == tenant).Select(a => a.Assignment.Customer))
            .Distinct(StringComparer.Ordinal);
        var ruleSets = store.ListRuleSets(tenant);
        var subscriptions = notifications.ListSubscriptions(tenant);
        return new HostSummary(
            tenant,
            store.FindTenant(tenant) is not null,
            snapshot.ApiKeys.Count(k => k.Tenant == tenant && store.FindApiKey(k.KeyHash) is { } found && found == k),
            customers.Count,
            assigned.Sum(c => store.ListContractAssignments(tenant, c).Count),
            ruleSets.Count,
            Digest(ruleSets),
            store.ReadAudit(tenant).Count,
            subscriptions.Count,
            Digest(subscriptions));
    }

    /// <summary>The same summary computed from the snapshot's records directly.</summary>
    public static HostSummary Of(HostSnapshot snapshot, string tenant)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new HostSummary(
            tenant,
            snapshot.TenantRecords.Any(t => t.Id == tenant),
            snapshot.ApiKeys.Count(k => k.Tenant == tenant),
            snapshot.Customers.Count(c => c.Tenant == tenant),
            snapshot.Assignments.Count(a => a.Tenant == tenant),
            snapshot.RuleSets.Count(r => r.Tenant == tenant),
            Digest(snapshot.RuleSets.Where(r => r.Tenant == tenant).OrderBy(r => r.Version)),
            snapshot.Audit.Count(a => a.Tenant == tenant),
            snapshot.Subscriptions.Count(s => s.Tenant == tenant),
            Digest(snapshot.Subscriptions.Where(s => s.Tenant == tenant)));
    }

    private static string Digest(IEnumerable<StoredRuleSet> ruleSets)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string part) => hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{part.Length}:{part}")));
        foreach (var r in ruleSets)
        {
            Add(r.Version.ToString(CultureInfo.InvariantCulture));
            Add(r.Hash);
            Add(r.UploadedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
            Add(r.Comment is null ? "-" : "+" + r.Comment);
            Add(r.Files.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var f in r.Files)
            {
                Add(f.Path);
                Add(f.Text);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // Both stores list a tenant's subscriptions ordered by CreatedAt, then Id.
    private static string Digest(IEnumerable<WebhookSubscription> subscriptions)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string part) => hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{part.Length}:{part}")));
        foreach (var s in subscriptions)
        {
            Add(s.Id);
            Add(s.Url);
            Add(string.Join(",", s.EventTypes));
            Add(s.Secret);
            Add(string.Join(",", s.ThresholdPercents.Select(p => p.ToString(CultureInfo.InvariantCulture))));
            Add(s.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
            Add(s.CreditsLowPercent is { } low ? low.ToString(CultureInfo.InvariantCulture) : "-");
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
