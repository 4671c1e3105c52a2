using System.Globalization;
using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Rating;

/// <summary>One time bucket of an aggregated charge: [From, To) in UTC, its aggregate and how many outcomes fell in it.</summary>
internal sealed record AggregateBucket(DateTimeOffset From, DateTimeOffset To, decimal Quantity, int Outcomes);

/// <summary>
/// A charge's quantity read by its <c>aggregate</c> clause (docs/dsl-spec.md §9.12). <see cref="Buckets"/> is empty
/// without <c>per</c>; with it, the non-empty buckets in time order and <see cref="Quantity"/> = Σ bucket quantities.
/// <see cref="Weights"/> is each outcome's share of the quantity, in the order given, for revenue attribution.
/// </summary>
internal sealed record AggregatedQuantity(decimal Quantity, IReadOnlyList<AggregateBucket> Buckets, IReadOnlyList<decimal> Weights)
{
    /// <summary>For a weighted sum: each level and the span [From, To) it held, and the period length it is divided by.</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To, decimal Level)> Levels { get; init; } = [];

    public TimeSpan Period { get; init; }
}

/// <summary>
/// count, sum, max, min, latest, unique and weighted_sum over a charge's outcomes, optionally per UTC time bucket.
/// Pure: the result depends on the outcomes as a set (never on their order in the list) and the segment and period bounds.
/// </summary>
internal static class UsageAggregator
{
    /// <summary>Event time, then source, then id (ordinal): the order that decides <c>latest</c> and the level changes of a weighted sum.</summary>
    public static IOrderedEnumerable<OutcomeInstance> ByEventTime(IEnumerable<OutcomeInstance> outcomes) => outcomes
        .OrderBy(o => o.EventTime.UtcTicks)
        .ThenBy(o => o.EventSource, StringComparer.Ordinal)
        .ThenBy(o => o.EventId, StringComparer.Ordinal);

    /// <param name="outcomes">The outcomes assigned to the charge in the segment.</param>
    /// <param name="segmentFrom">Start of the segment: a weighted sum's level is 0 here.</param>
    /// <param name="segmentTo">End of the segment: the last level holds until here.</param>
    /// <param name="periodTicks">Length of the billing period: a weighted sum divides by it.</param>
    public static AggregatedQuantity Aggregate(ChargeAggregation aggregation, IReadOnlyList<OutcomeInstance> outcomes,
        DateTimeOffset segmentFrom, DateTimeOffset segmentTo, long periodTicks, SourceLocation location)
    {
        if (aggregation.Kind == AggregationKind.WeightedSum)
        {
            var levels = new List<(DateTimeOffset, DateTimeOffset, decimal)>();
            var sum = WeightedSum(outcomes, segmentFrom, segmentTo, periodTicks, location, levels);
            return new AggregatedQuantity(sum, [], outcomes.Select(_ => 1m).ToArray()) { Levels = levels, Period = TimeSpan.FromTicks(periodTicks) };
        }

        if (aggregation.Bucket is not { } size)
        {
            var (value, contributors) = Single(aggregation, outcomes);
            return new AggregatedQuantity(value, [], Weigh(outcomes, contributors));
        }

        var buckets = new List<AggregateBucket>();
        var all = new Dictionary<OutcomeInstance, decimal>(ReferenceEqualityComparer.Instance);
        foreach (var group in outcomes.GroupBy(o => BucketStart(o.EventTime, size)).OrderBy(g => g.Key.UtcTicks))
        {
            var members = group.ToList();
            var (value, contributors) = Single(aggregation, members);
            foreach (var (outcome, weight) in contributors) all[outcome] = all.GetValueOrDefault(outcome) + weight;
            buckets.Add(new AggregateBucket(group.Key, BucketEnd(group.Key, size), value, members.Count));
        }
        return new AggregatedQuantity(buckets.Sum(b => b.Quantity), buckets, outcomes.Select(o => all.GetValueOrDefault(o)).ToArray());
    }

    /// <summary>Buckets start at whole UTC minutes, hours or days (the billing period's time zone).</summary>
    public static DateTimeOffset BucketStart(DateTimeOffset time, AggregationBucket size)
    {
        var ticks = time.UtcTicks;
        var unit = Unit(size);
        return new DateTimeOffset(ticks - ticks % unit, TimeSpan.Zero);
    }

    private static DateTimeOffset BucketEnd(DateTimeOffset start, AggregationBucket size) => start.AddTicks(Unit(size));

    private static long Unit(AggregationBucket size) => size switch
    {
        AggregationBucket.Minute => TimeSpan.TicksPerMinute,
        AggregationBucket.Hour => TimeSpan.TicksPerHour,
        _ => TimeSpan.TicksPerDay,
    };

    /// <summary>The aggregate of one group and the outcomes that make it (with their weight), for attribution.</summary>
    private static (decimal Value, IReadOnlyList<(OutcomeInstance Outcome, decimal Weight)> Contributors) Single(
        ChargeAggregation aggregation, IReadOnlyList<OutcomeInstance> outcomes)
    {
        if (outcomes.Count == 0) return (0m, []);
        switch (aggregation.Kind)
        {
            case AggregationKind.Count:
                return (outcomes.Count, outcomes.Select(o => (o, 1m)).ToArray());
            case AggregationKind.Sum:
                return (outcomes.Sum(o => o.Quantity), outcomes.Select(o => (o, o.Quantity)).ToArray());
            case AggregationKind.Max:
            {
                // The first (by event time) of the outcomes with the extreme quantity is the one that set it.
                var best = ByEventTime(outcomes).MaxBy(o => o.Quantity)!;
                return (best.Quantity, [(best, best.Quantity)]);
            }
            case AggregationKind.Min:
            {
                var best = ByEventTime(outcomes).MinBy(o => o.Quantity)!;
                return (best.Quantity, [(best, best.Quantity)]);
            }
            case AggregationKind.Latest:
            {
                var last = ByEventTime(outcomes).Last();
                return (last.Quantity, [(last, last.Quantity)]);
            }
            default:
            {
                // Unique: the first outcome (by event time) with each distinct value stands for it.
                var of = aggregation.UniqueOf!;
                var firsts = ByEventTime(outcomes).GroupBy(o => of(o.Dimensions), StringComparer.Ordinal).Select(g => g.First()).ToList();
                return (firsts.Count, firsts.Select(o => (o, 1m)).ToArray());
            }
        }
    }

    private static decimal[] Weigh(IReadOnlyList<OutcomeInstance> outcomes, IReadOnlyList<(OutcomeInstance Outcome, decimal Weight)> contributors)
    {
        var weights = new Dictionary<OutcomeInstance, decimal>(ReferenceEqualityComparer.Instance);
        foreach (var (outcome, weight) in contributors) weights[outcome] = weights.GetValueOrDefault(outcome) + weight;
        return outcomes.Select(o => weights.GetValueOrDefault(o)).ToArray();
    }

    /// <summary>
    /// Σ level × time it held / period length, the level starting at 0 at the segment start and changing by each
    /// outcome's quantity at its event time (clamped into the segment). One division at the end keeps a constant
    /// level held for the whole period exactly that constant. A level below 0 is rating error RB0914.
    /// </summary>
    public static decimal WeightedSum(IReadOnlyList<OutcomeInstance> outcomes, DateTimeOffset segmentFrom, DateTimeOffset segmentTo, long periodTicks,
        SourceLocation location, List<(DateTimeOffset From, DateTimeOffset To, decimal Level)>? levels = null)
    {
        var level = 0m;
        var held = 0m;
        var previous = segmentFrom.UtcTicks;
        foreach (var outcome in ByEventTime(outcomes))
        {
            var at = Math.Clamp(outcome.EventTime.UtcTicks, segmentFrom.UtcTicks, segmentTo.UtcTicks);
            held += level * (at - previous);
            if (at > previous && level != 0m) levels?.Add((Utc(previous), Utc(at), level));
            level += outcome.Quantity;
            if (level < 0m)
                throw new RuleEvaluationException(DiagnosticCatalogue.NegativeLevel.Code,
                    $"the weighted-sum level of '{outcome.Outcome}' falls to {level.ToString(CultureInfo.InvariantCulture)} at event {outcome.EventSource}/{outcome.EventId}: more was removed than added",
                    location);
            previous = at;
        }
        held += level * (segmentTo.UtcTicks - previous);
        if (segmentTo.UtcTicks > previous && level != 0m) levels?.Add((Utc(previous), segmentTo, level));
        return periodTicks == 0 ? 0m : held / periodTicks;
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);
}
