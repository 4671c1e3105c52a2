using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Entitlements;

/// <summary>
/// Computes feature access from a customer's activity (<see cref="CustomerActivity"/>). Grants come from the contract version in force at the
/// instant asked. Metered usage is counted by event time inside the reset window containing that instant: the
/// quantities of the outcome's instances that are billable or pending (a reversal gives the quota back), or the
/// number of events of the metered type.
/// </summary>
internal static class EntitlementCalculator
{
    /// <param name="assignments">The customer's contract assignments; they win over the rule files' customer lists, as in billing.</param>
    public static CustomerEntitlements Compute(CustomerActivity activity, DateTimeOffset at, IReadOnlyList<ContractAssignment>? assignments = null)
    {
        var rules = activity.Rules;
        var customer = activity.Customer;
        var version = ContractResolver.Resolve(rules.Contracts, customer, at, assignments);
        var grants = version is null ? [] : rules.GrantsOf(version);
        var features = rules.Features.Values
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => Feature(rules, activity, customer, at, version, f, grants.FirstOrDefault(g => g.Feature == f.Name), assignments))
            .ToList();
        return new CustomerEntitlements(customer, at, version?.Contract, version?.Version, features);
    }

    public static UsageCheck Check(FeatureEntitlement feature, decimal requested)
    {
        if (feature.Kind != "metered")
        {
            return new UsageCheck(feature.Feature, feature.HasAccess, requested, null, null, null, 0m,
                feature.HasAccess ? "granted" : "not-granted");
        }
        if (feature.Usage is not { } usage)
        {
            return new UsageCheck(feature.Feature, false, requested, null, null, null, 0m, "not-granted");
        }
        if (feature.Limit is not { } limit)
        {
            return new UsageCheck(feature.Feature, true, requested, usage, null, null, 0m, "unlimited");
        }

        var after = usage + requested;
        var overage = Math.Max(0m, after - Math.Max(limit, usage));
        if (feature.LimitMode == "hard")
        {
            var allowed = after <= limit;
            return new UsageCheck(feature.Feature, allowed, requested, usage, limit, Math.Max(0m, limit - usage), 0m,
                allowed ? "within-limit" : "hard-limit-reached");
        }
        // A soft limit reports the overage this request adds (usage already past the limit was reported before).
        return new UsageCheck(feature.Feature, true, requested, usage, limit, Math.Max(0m, limit - usage), overage,
            after <= limit ? "within-limit" : "soft-limit-exceeded");
    }

    private static FeatureEntitlement Feature(
        CompiledRuleSet rules, CustomerActivity activity, string customer, DateTimeOffset at,
        ContractVersion? version, FeatureRule feature, FeatureGrant? grant, IReadOnlyList<ContractAssignment>? assignments)
    {
        var none = new FeatureEntitlement(feature.Name, KindName(feature.Kind), false, null, null, null, null, null, null, null, null, null, null);
        switch (feature.Kind)
        {
            case FeatureKind.Boolean:
                var enabled = grant?.Enabled ?? false;
                return none with { HasAccess = enabled, Enabled = enabled };
            case FeatureKind.Integer or FeatureKind.Decimal or FeatureKind.String:
                return grant is null ? none : none with { HasAccess = true, Number = grant.Number, Text = grant.Text };
        }

        if (grant is null || version is null) return none;
        var window = Window(rules, customer, version, grant.Limit?.Reset, at, assignments);
        var usage = feature.EventType is { } eventType ? activity.EventCount(eventType, window) : activity.OutcomeUsage(feature.Outcome!, window);
        if (grant.Limit is not { } limit)
        {
            return none with { HasAccess = true, Usage = usage, WindowStart = window.From, ResetsAt = window.To };
        }

        var hasAccess = !limit.Hard || usage < limit.Amount;
        return none with
        {
            HasAccess = hasAccess,
            Usage = usage,
            Limit = limit.Amount,
            LimitMode = limit.Hard ? "hard" : "soft",
            Remaining = Math.Max(0m, limit.Amount - usage),
            Overage = Math.Max(0m, usage - limit.Amount),
            WindowStart = window.From,
            ResetsAt = window.To,
        };
    }

    /// <summary>The reset window containing <paramref name="at"/>: the contract's billing period, or the grant's own reset period.</summary>
    private static BillingPeriodRange Window(
        CompiledRuleSet rules, string customer, ContractVersion version, BillingPeriod? reset, DateTimeOffset at, IReadOnlyList<ContractAssignment>? assignments)
    {
        if (reset is null && ContractResolver.PeriodAt(rules.Contracts, customer, at, assignments) is { } period) return period.Period;
        return PeriodCalculator.Containing(reset ?? version.Period, ContractResolver.Origin(rules.Contracts, version.Contract), at, LocalTime.Zone(version.TimeZone));
    }

    private static string KindName(FeatureKind kind) => kind switch
    {
        FeatureKind.Boolean => "bool",
        FeatureKind.Integer => "integer",
        FeatureKind.Decimal => "decimal",
        FeatureKind.String => "string",
        _ => "metered",
    };
}
