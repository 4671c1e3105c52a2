using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Activity;

/// <summary>One time bucket of an aggregated charge's usage: [From, To) in UTC and its aggregate.</summary>
public sealed record UsageBucket(DateTimeOffset From, DateTimeOffset To, decimal Quantity);

/// <summary>
/// The quantity an aggregated charge (docs/dsl-spec.md §9.12) reads in one segment of the period, as its invoice line
/// will: <see cref="Billable"/> over the outcomes billable now, <see cref="WithPending"/> also counting those still in
/// their validation window (what the invoice bills unless they are reversed).
/// </summary>
public sealed record AggregatedUsage(
    string Outcome,
    string Charge,
    string Aggregation,
    DateTimeOffset From,
    DateTimeOffset To,
    decimal Billable,
    decimal WithPending,
    IReadOnlyList<UsageBucket> Buckets);

/// <summary>
/// Aggregated charge quantities from a <see cref="PeriodActivity"/>: outcomes are assigned to the first charge whose
/// filter passes (as the invoice assigns them), then aggregated with the same <see cref="UsageAggregator"/> the rating
/// uses, so usage, preview and invoice agree.
/// </summary>
public static class AggregatedUsages
{
    public static IReadOnlyList<AggregatedUsage> Of(PeriodActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var result = new List<AggregatedUsage>();
        var periodTicks = (activity.Period.Period.To - activity.Period.Period.From).Ticks;
        foreach (var segment in activity.Segments)
        {
            var charges = segment.Plan.Charges;
            if (charges.All(c => c.Aggregation is null)) continue;
            var billable = charges.Select(_ => new List<OutcomeInstance>()).ToArray();
            var pending = charges.Select(_ => new List<OutcomeInstance>()).ToArray();
            foreach (var outcome in segment.Outcomes.Where(o => o.State != OutcomeState.Reversed))
            {
                var index = FirstMatching(charges, outcome);
                if (index < 0) continue;
                if (outcome.State == OutcomeState.Billable) billable[index].Add(outcome);
                pending[index].Add(outcome);
            }
            for (var i = 0; i < charges.Count; i++)
            {
                if (charges[i].Aggregation is not { } aggregation) continue;
                var (from, to) = (segment.Segment.Range.From, segment.Segment.Range.To);
                var now = UsageAggregator.Aggregate(aggregation, billable[i], from, to, periodTicks, charges[i].Location);
                var expected = UsageAggregator.Aggregate(aggregation, pending[i], from, to, periodTicks, charges[i].Location);
                result.Add(new AggregatedUsage(charges[i].Outcome, charges[i].Label, aggregation.Describe(), from, to,
                    now.Quantity, expected.Quantity, now.Buckets.Select(b => new UsageBucket(b.From, b.To, b.Quantity)).ToArray()));
            }
        }
        return result;
    }

    private static int FirstMatching(IReadOnlyList<ChargeRule> charges, OutcomeInstance outcome)
    {
        for (var i = 0; i < charges.Count; i++)
        {
            var rule = charges[i];
            if (rule.Outcome == outcome.Outcome && (rule.Filter is null || rule.Filter(outcome.Dimensions))) return i;
        }
        return -1;
    }
}
