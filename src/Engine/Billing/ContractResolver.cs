using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Which contract version governs a customer when: an explicit <see cref="ContractAssignment"/> wins, then versions
/// naming the customer explicitly, then <c>customers default</c>; a version is in force from its effective date until
/// its <c>until</c> or the next version's date. Assignments are optional everywhere (none = the rule files alone).
/// </summary>
internal static class ContractResolver
{
    public static ContractVersion? Resolve(
        IReadOnlyList<ContractVersion> contracts, string customer, DateTimeOffset at, IReadOnlyList<ContractAssignment>? assignments = null)
    {
        if (Assigned(contracts, customer, at, assignments) is { } assigned) return assigned;
        ContractVersion? explicitMatch = null;
        ContractVersion? defaultMatch = null;
        foreach (var v in Ordered(contracts))
        {
            if (!InForce(contracts, v).Contains(at)) continue;
            if (!v.IsDefault && v.Customers.Contains(customer, StringComparer.Ordinal)) explicitMatch ??= v;
            else if (v.IsDefault) defaultMatch ??= v;
        }
        return explicitMatch ?? defaultMatch;
    }

    /// <summary>The version the customer's latest assignment effective at <paramref name="at"/> selects, if it is in force then.</summary>
    private static ContractVersion? Assigned(
        IReadOnlyList<ContractVersion> contracts, string customer, DateTimeOffset at, IReadOnlyList<ContractAssignment>? assignments)
    {
        var assignment = assignments?
            .Where(a => a.Customer == customer && UtcDate.Midnight(a.EffectiveFrom) <= at)
            .MaxBy(a => a.EffectiveFrom);
        if (assignment is null) return null;
        return Ordered(contracts).FirstOrDefault(v => v.Contract == assignment.Contract
            && (assignment.Version is null || assignment.Version == v.Version)
            && InForce(contracts, v).Contains(at));
    }

    /// <summary>[effective, until or next version's effective); open-ended versions run to <see cref="DateTimeOffset.MaxValue"/>.</summary>
    public static BillingPeriodRange InForce(IReadOnlyList<ContractVersion> contracts, ContractVersion version)
    {
        var zone = LocalTime.Zone(version.TimeZone);
        var from = LocalTime.Midnight(version.EffectiveFrom, zone);
        if (version.EffectiveUntil is { } until) return new BillingPeriodRange(from, LocalTime.Midnight(until, zone));
        var next = contracts
            .Where(v => v.Contract == version.Contract && v.EffectiveFrom > version.EffectiveFrom)
            .Select(v => (DateOnly?)v.EffectiveFrom)
            .Min();
        return new BillingPeriodRange(from, next is { } d ? LocalTime.Midnight(d, zone) : DateTimeOffset.MaxValue);
    }

    /// <summary>The period of the contract governing <paramref name="customer"/> at <paramref name="at"/>, or null when none does.</summary>
    public static ContractPeriod? PeriodAt(
        IReadOnlyList<ContractVersion> contracts, string customer, DateTimeOffset at, IReadOnlyList<ContractAssignment>? assignments = null)
    {
        var version = Resolve(contracts, customer, at, assignments);
        if (version is null) return null;
        var period = PeriodCalculator.Containing(version.Period, Origin(contracts, version.Contract), at, LocalTime.Zone(version.TimeZone));
        return new ContractPeriod(version.Contract, period, Segments(contracts, customer, version.Contract, period, assignments));
    }

    /// <summary>The contract's first effective date: where its periods (and its grants' reset periods) are counted from.</summary>
    public static DateOnly Origin(IReadOnlyList<ContractVersion> contracts, string contract) =>
        contracts.Where(v => v.Contract == contract).Min(v => v.EffectiveFrom);

    /// <summary>
    /// Every contract period of <paramref name="customer"/> overlapping [from, to), in time order: a customer who
    /// moves to another contract mid-period gets a (partial) period of each.
    /// </summary>
    public static IReadOnlyList<ContractPeriod> PeriodsBetween(
        IReadOnlyList<ContractVersion> contracts, string customer, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyList<ContractAssignment>? assignments = null)
    {
        var result = new List<ContractPeriod>();
        var boundaries = Boundaries(contracts, customer, assignments);
        var t = from;
        while (t < to)
        {
            var period = PeriodAt(contracts, customer, t, assignments);
            var nextChange = boundaries.FirstOrDefault(b => b > t, DateTimeOffset.MaxValue);
            if (period is null)
            {
                t = nextChange;
                continue;
            }
            if (!result.Any(p => p.Contract == period.Contract && p.Period == period.Period)) result.Add(period);

            // Continue at the period end, or earlier where another contract may take over.
            var next = period.Period.To;
            foreach (var b in boundaries)
            {
                if (b <= t || b >= next) continue;
                if (Resolve(contracts, customer, b, assignments)?.Contract != period.Contract)
                {
                    next = b;
                    break;
                }
            }
            t = next;
        }
        return result;
    }

    private static IReadOnlyList<ContractSegment> Segments(
        IReadOnlyList<ContractVersion> contracts, string customer, string contract, BillingPeriodRange period,
        IReadOnlyList<ContractAssignment>? assignments)
    {
        var cuts = Boundaries(contracts, customer, assignments).Where(period.Contains).Append(period.From).Append(period.To)
            .Distinct().Order().ToList();
        var segments = new List<ContractSegment>();
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var version = Resolve(contracts, customer, cuts[i], assignments);
            if (version is null || version.Contract != contract) continue;
            if (segments.Count > 0 && segments[^1].Version == version && segments[^1].Range.To == cuts[i])
            {
                segments[^1] = Segment(version, new BillingPeriodRange(segments[^1].Range.From, cuts[i + 1]), period);
            }
            else
            {
                segments.Add(Segment(version, new BillingPeriodRange(cuts[i], cuts[i + 1]), period));
            }
        }
        return segments;
    }

    private static ContractSegment Segment(ContractVersion version, BillingPeriodRange range, BillingPeriodRange period) =>
        new(version, range, (decimal)range.Length.Ticks / period.Length.Ticks);

    /// <summary>Every instant at which some version starts or stops being in force, or an assignment of the customer starts, ascending.</summary>
    private static IReadOnlyList<DateTimeOffset> Boundaries(
        IReadOnlyList<ContractVersion> contracts, string customer, IReadOnlyList<ContractAssignment>? assignments) => contracts
        .SelectMany(v => new[] { InForce(contracts, v).From, InForce(contracts, v).To })
        .Concat((assignments ?? []).Where(a => a.Customer == customer).Select(a => UtcDate.Midnight(a.EffectiveFrom)))
        .Where(b => b != DateTimeOffset.MaxValue)
        .Distinct()
        .Order()
        .ToList();

    private static IEnumerable<ContractVersion> Ordered(IReadOnlyList<ContractVersion> contracts) => contracts
        .OrderBy(v => v.Contract, StringComparer.Ordinal)
        .ThenBy(v => v.Version);
}
