using LiteDB;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Notifications;

namespace RulesBilling.Engine.Storage.Migration;

/// <summary>
/// The host data a LiteDB store file holds beside the billing data (the <c>host_*</c> collections that
/// <see cref="LiteDbTenantStore"/> writes): tenants, API keys as stored (hashes only), customers, contract assignments,
/// uploaded rule-set versions and the audit trail; and the webhook subscriptions of the notifications module
/// (<c>ntf_subscriptions</c>, written by <see cref="LiteDbNotificationStore"/>). Read from the database <see cref="LiteDbSnapshot"/> opened
/// read-only; the document shapes mirror those two stores.
/// </summary>
public sealed record HostSnapshot(
    IReadOnlyList<TenantRecord> TenantRecords,
    IReadOnlyList<ApiKeyRecord> ApiKeys,
    IReadOnlyList<CustomerRecord> Customers,
    IReadOnlyList<(string Tenant, ContractAssignment Assignment)> Assignments,
    IReadOnlyList<StoredRuleSet> RuleSets,
    IReadOnlyList<AuditEntry> Audit,
    IReadOnlyList<WebhookSubscription> Subscriptions)
{
    internal static HostSnapshot Read(LiteDatabase db)
    {
        var tenants = db.GetCollection("host_tenants").FindAll()
            .Select(LiteDbTenantStore.ToTenant)
            .OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        var keys = db.GetCollection("host_api_keys").FindAll()
            .Select(LiteDbTenantStore.ToApiKey)
            .OrderBy(k => k.Tenant, StringComparer.Ordinal).ThenBy(k => k.CreatedAt).ThenBy(k => k.KeyHash, StringComparer.Ordinal).ToList();
        var customers = db.GetCollection("host_customers").FindAll()
            .Select(LiteDbTenantStore.ToCustomer)
            .OrderBy(c => c.Tenant, StringComparer.Ordinal).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var assignments = db.GetCollection("host_contract_assignments").FindAll()
            .Select(d =>
            {
                var assignment = LiteDbTenantStore.ToAssignment(d);
                var tc = d["tc"].AsString; // "{tenant}\n{customer}"
                return (Tenant: tc[..(tc.Length - assignment.Customer.Length - 1)], Assignment: assignment);
            })
            .OrderBy(a => a.Tenant, StringComparer.Ordinal).ThenBy(a => a.Assignment.Customer, StringComparer.Ordinal)
            .ThenBy(a => a.Assignment.EffectiveFrom).ToList();
        var ruleSets = db.GetCollection("host_rulesets").FindAll()
            .Select(LiteDbTenantStore.ToRuleSet)
            .OrderBy(r => r.Tenant, StringComparer.Ordinal).ThenBy(r => r.Version).ToList();
        var audit = db.GetCollection("host_audit").FindAll()
            .Select(LiteDbTenantStore.ToAudit)
            .OrderBy(a => a.Sequence).ToList();
        var subscriptions = db.GetCollection("ntf_subscriptions").FindAll()
            .Select(d => new WebhookSubscription(
                d["tenant"].AsString, d["id"].AsString, d["url"].AsString,
                d["types"].AsArray.Select(t => t.AsString).ToList(), d["secret"].AsString,
                d["thresholds"].AsArray.Select(p => p.AsInt32).ToList(), BsonDocuments.Instant(d["created"]))
            {
                CreditsLowPercent = d["creditsLow"].IsNumber ? d["creditsLow"].AsInt32 : null,
            })
            .OrderBy(s => s.Tenant, StringComparer.Ordinal).ThenBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        return new HostSnapshot(tenants, keys, customers, assignments, ruleSets, audit, subscriptions);
    }

    /// <summary>Every tenant any host record names, ordinal order.</summary>
    public IReadOnlyList<string> Tenants =>
        TenantRecords.Select(t => t.Id).Concat(ApiKeys.Select(k => k.Tenant)).Concat(Customers.Select(c => c.Tenant))
            .Concat(Assignments.Select(a => a.Tenant)).Concat(RuleSets.Select(r => r.Tenant)).Concat(Audit.Select(a => a.Tenant))
            .Concat(Subscriptions.Select(s => s.Tenant))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
