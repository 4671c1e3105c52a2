using System.Globalization;
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
            .Select(d => new TenantRecord(d["_id"].AsString, d["name"].AsString, Time(d["createdAt"])))
            .OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        var keys = db.GetCollection("host_api_keys").FindAll()
            .Select(d => new ApiKeyRecord(d["_id"].AsString, d["tenant"].AsString, d["prefix"].AsString, Time(d["createdAt"])))
            .OrderBy(k => k.Tenant, StringComparer.Ordinal).ThenBy(k => k.CreatedAt).ThenBy(k => k.KeyHash, StringComparer.Ordinal).ToList();
        var customers = db.GetCollection("host_customers").FindAll()
            .Select(d => new CustomerRecord(d["tenant"].AsString, d["id"].AsString, NullableString(d["name"]), Time(d["createdAt"])))
            .OrderBy(c => c.Tenant, StringComparer.Ordinal).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var assignments = db.GetCollection("host_contract_assignments").FindAll()
            .Select(d =>
            {
                var customer = d["customer"].AsString;
                var tc = d["tc"].AsString; // "{tenant}\n{customer}"
                var assignment = new ContractAssignment(
                    customer,
                    d["contract"].AsString,
                    d["version"].IsNull ? null : d["version"].AsInt32,
                    DateOnly.ParseExact(d["effectiveFrom"].AsString, "yyyy-MM-dd", CultureInfo.InvariantCulture));
                return (Tenant: tc[..(tc.Length - customer.Length - 1)], Assignment: assignment);
            })
            .OrderBy(a => a.Tenant, StringComparer.Ordinal).ThenBy(a => a.Assignment.Customer, StringComparer.Ordinal)
            .ThenBy(a => a.Assignment.EffectiveFrom).ToList();
        var ruleSets = db.GetCollection("host_rulesets").FindAll()
            .Select(d => new StoredRuleSet(
                d["tenant"].AsString,
                d["version"].AsInt32,
                d["hash"].AsString,
                d["files"].AsArray.Select(f => new StoredRuleFile(f["path"].AsString, f["text"].AsString)).ToList(),
                Time(d["uploadedAt"]),
                NullableString(d["comment"])))
            .OrderBy(r => r.Tenant, StringComparer.Ordinal).ThenBy(r => r.Version).ToList();
        var audit = db.GetCollection("host_audit").FindAll()
            .Select(d => new AuditEntry(
                d["tenant"].AsString,
                d["_id"].AsInt64,
                Time(d["at"]),
                d["actor"].AsString,
                d["action"].AsString,
                NullableString(d["correlationId"]),
                d["succeeded"].AsBoolean,
                NullableString(d["detail"])))
            .OrderBy(a => a.Sequence).ToList();
        var subscriptions = db.GetCollection("ntf_subscriptions").FindAll()
            .Select(d => new WebhookSubscription(
                d["tenant"].AsString, d["id"].AsString, d["url"].AsString,
                d["types"].AsArray.Select(t => t.AsString).ToList(), d["secret"].AsString,
                d["thresholds"].AsArray.Select(p => p.AsInt32).ToList(), Time(d["created"]))
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

    private static DateTimeOffset Time(BsonValue ticks) => new(ticks.AsInt64, TimeSpan.Zero);

    private static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;
}
