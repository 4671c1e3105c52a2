using RulesBilling.Engine.Notifications;

namespace RulesBilling.Engine.Storage.Migration;

/// <summary>How many host records an import wrote; the rest of the source's records were already in the target.</summary>
public sealed record HostCopied(int Tenants, int ApiKeys, int Customers, int ContractAssignments, int RuleSets, int AuditEntries, int WebhookSubscriptions);

/// <summary>
/// Copies a <see cref="HostSnapshot"/> into an <see cref="ITenantStore"/>, writing only what the target lacks so that
/// a second run writes nothing: tenants, customers and keys are looked up by id or hash first, an assignment is set
/// only when the customer does not already have it, rule sets are added in version order only when that version is
/// missing and is the next one (so version numbers stay those of the source), and the audit trail is extended only
/// past the entries the target already has in the same order. Webhook subscriptions go into the
/// <see cref="INotificationStore"/> when the tenant has none with that id.
/// </summary>
internal static class HostImport
{
    public static HostCopied Copy(HostSnapshot snapshot, ITenantStore target, INotificationStore notifications, List<string> problems)
    {
        int tenants = 0, keys = 0, customers = 0, assignments = 0, ruleSets = 0, audit = 0;
        foreach (var tenant in snapshot.TenantRecords)
        {
            if (target.AddTenant(tenant)) tenants++;
        }
        foreach (var key in snapshot.ApiKeys)
        {
            if (target.FindApiKey(key.KeyHash) is not null) continue;
            target.AddApiKey(key);
            keys++;
        }
        foreach (var customer in snapshot.Customers)
        {
            if (target.AddCustomer(customer)) customers++;
        }
        foreach (var (tenant, assignment) in snapshot.Assignments)
        {
            if (target.ListContractAssignments(tenant, assignment.Customer).Contains(assignment)) continue;
            target.SetContractAssignment(tenant, assignment);
            assignments++;
        }
        foreach (var ruleSet in snapshot.RuleSets)
        {
            if (target.FindRuleSet(ruleSet.Tenant, ruleSet.Version) is not null) continue;
            var latest = target.ListRuleSets(ruleSet.Tenant).Select(r => r.Version).DefaultIfEmpty(0).Max();
            if (latest != ruleSet.Version - 1)
            {
                problems.Add($"tenant '{ruleSet.Tenant}': rule set version {ruleSet.Version} not copied, the target's latest version is {latest}");
                continue;
            }
            target.AddRuleSet(ruleSet.Tenant, ruleSet.Hash, ruleSet.Files, ruleSet.UploadedAt, ruleSet.Comment);
            ruleSets++;
        }
        foreach (var group in snapshot.Audit.GroupBy(a => a.Tenant, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var source = group.ToList();
            var present = target.ReadAudit(group.Key);
            if (present.Count > source.Count || !present.Select(Unnumbered).SequenceEqual(source.Take(present.Count).Select(Unnumbered)))
            {
                problems.Add($"tenant '{group.Key}': audit trail not copied, the target's {present.Count} entries are not a prefix of the source's {source.Count}");
                continue;
            }
            foreach (var entry in source.Skip(present.Count))
            {
                target.AppendAudit(entry);
                audit++;
            }
        }
        var subscriptions = 0;
        foreach (var subscription in snapshot.Subscriptions)
        {
            if (notifications.ListSubscriptions(subscription.Tenant).Any(s => s.Id == subscription.Id)) continue;
            notifications.SaveSubscription(subscription);
            subscriptions++;
        }
        return new HostCopied(tenants, keys, customers, assignments, ruleSets, audit, subscriptions);
    }

    // The target numbers audit entries itself.
    private static AuditEntry Unnumbered(AuditEntry entry) => entry with { Sequence = 0 };
}
