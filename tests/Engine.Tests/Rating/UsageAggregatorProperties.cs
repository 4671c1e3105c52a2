using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Rating;

/// <summary>
/// Invariants of the charge aggregations (docs/dsl-spec.md §9.12) over random outcome sets in January 2026: the
/// order of the outcomes never matters; max ≥ latest ≥ min; unique ≤ count; a constant level held the whole
/// period weighs exactly that constant; a bucketed sum is the plain sum; a charge priced per bucket is the sum of
/// its bucket amounts and its breakdown adds up to its line.
/// </summary>
public sealed class UsageAggregatorProperties
{
    private static readonly long Month = (Feb1 - Jan1).Ticks;

    private static ChargeAggregation Agg(AggregationKind kind, AggregationBucket? bucket = null, bool separately = false) =>
        new(kind, kind == AggregationKind.Unique ? d => d.GetValueOrDefault("user") ?? "" : null, kind == AggregationKind.Unique ? "user" : null, bucket, separately);

    /// <summary>1–25 outcomes at random minutes of January (ties included), quantities 0–20, users u0–u5.</summary>
    private static readonly Gen<List<OutcomeInstance>> Outcomes =
        from count in Gen.Choose(1, 25)
        from items in (from minute in Gen.Choose(0, 31 * 24 * 60 - 1)
                       from quantity in Gen.Choose(0, 20)
                       from user in Gen.Choose(0, 5)
                       select (minute, quantity, user)).ArrayOf(count)
        select items.Select((x, n) => Outcome("usage", n, x.quantity,
            dimensions: new Dictionary<string, string?> { ["user"] = $"u{x.user}" }, at: Jan1.AddMinutes(x.minute))).ToList();

    private static decimal Q(AggregationKind kind, IReadOnlyList<OutcomeInstance> outcomes, AggregationBucket? bucket = null) =>
        UsageAggregator.Aggregate(Agg(kind, bucket), outcomes, Jan1, Feb1, Month, Where).Quantity;

    private static readonly AggregationKind[] All =
        [AggregationKind.Count, AggregationKind.Sum, AggregationKind.Max, AggregationKind.Min, AggregationKind.Latest, AggregationKind.Unique, AggregationKind.WeightedSum];

    [Property(MaxTest = 200)]
    public Property Every_aggregation_ignores_the_order_of_its_outcomes() =>
        Prop.ForAll(Outcomes.ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (outcomes, seed) =>
        {
            List<OutcomeInstance> shuffled = [.. outcomes.Select((o, i) => (o, k: (i * 7919 + seed) % 1000003)).OrderBy(x => x.k).Select(x => x.o)];
            return All.All(kind => Q(kind, outcomes) == Q(kind, shuffled)
                                   && (kind == AggregationKind.WeightedSum || Q(kind, outcomes, AggregationBucket.Hour) == Q(kind, shuffled, AggregationBucket.Hour)));
        });

    [Property(MaxTest = 200)]
    public Property Max_is_at_least_latest_which_is_at_least_min_and_unique_is_at_most_count() =>
        Prop.ForAll(Outcomes.ToArbitrary(), outcomes =>
            Q(AggregationKind.Max, outcomes) >= Q(AggregationKind.Latest, outcomes)
            && Q(AggregationKind.Latest, outcomes) >= Q(AggregationKind.Min, outcomes)
            && Q(AggregationKind.Unique, outcomes) <= Q(AggregationKind.Count, outcomes)
            && Q(AggregationKind.Unique, outcomes, AggregationBucket.Day) <= Q(AggregationKind.Count, outcomes, AggregationBucket.Day)
            && Q(AggregationKind.Max, outcomes) == outcomes.Max(o => o.Quantity)
            && Q(AggregationKind.Min, outcomes) == outcomes.Min(o => o.Quantity));

    [Property(MaxTest = 200)]
    public Property Latest_is_decided_by_event_time_then_source_then_id() =>
        Prop.ForAll(Outcomes.ToArbitrary(), outcomes =>
        {
            var last = outcomes.OrderBy(o => o.EventTime).ThenBy(o => o.EventSource, StringComparer.Ordinal).ThenBy(o => o.EventId, StringComparer.Ordinal).Last();
            // All at one instant: the id alone decides, whatever the list order.
            var tied = outcomes.Select(o => o with { EventTime = Jan1.AddDays(3), BillableAt = Jan1.AddDays(3) }).Reverse().ToList();
            var lastTied = tied.MaxBy(o => o.EventId, StringComparer.Ordinal)!;
            return Q(AggregationKind.Latest, outcomes) == last.Quantity && Q(AggregationKind.Latest, tied) == lastTied.Quantity;
        });

    [Property(MaxTest = 200)]
    public Property A_bucketed_sum_or_count_is_the_plain_sum_or_count() =>
        Prop.ForAll(Outcomes.ToArbitrary(), Gen.Elements(AggregationBucket.Minute, AggregationBucket.Hour, AggregationBucket.Day).ToArbitrary(), (outcomes, bucket) =>
            Q(AggregationKind.Sum, outcomes, bucket) == outcomes.Sum(o => o.Quantity)
            && Q(AggregationKind.Count, outcomes, bucket) == outcomes.Count
            && Q(AggregationKind.Max, outcomes, bucket) >= Q(AggregationKind.Max, outcomes)
            && Q(AggregationKind.Max, outcomes, bucket) <= outcomes.Sum(o => o.Quantity));

    [Property(MaxTest = 200)]
    public Property Weighted_sum_of_a_constant_level_is_that_constant() =>
        Prop.ForAll(Gen.Choose(0, 100000).ToArbitrary(), Gen.Choose(0, 4).ToArbitrary(), (hundredths, scale) =>
        {
            var level = hundredths / 100m;
            // Added at the period start (several changes adding up to it), never changed: held the whole period.
            var parts = Enumerable.Range(0, scale + 1).Select(i => Outcome("seats", i, i == 0 ? level : 0m, at: Jan1)).ToList();
            return Q(AggregationKind.WeightedSum, parts) == level;
        });

    [Property(MaxTest = 200)]
    public Property Weighted_sum_is_the_level_times_the_share_of_the_period_it_held() =>
        Prop.ForAll(Gen.Choose(1, 31 * 24 - 1).ToArbitrary(), Gen.Choose(1, 50).ToArbitrary(), Gen.Choose(0, 50).ToArbitrary(), (hour, added, removed) =>
        {
            removed = Math.Min(removed, added);
            // +added at the start, −removed after `hour` hours: added × hour + (added − removed) × (744 − hour), over 744 h.
            var changes = new List<OutcomeInstance> { Outcome("seats", 1, added, at: Jan1), Outcome("seats", 2, -removed, at: Jan1.AddHours(hour)) };
            var expected = ((decimal)added * hour + (decimal)(added - removed) * (744 - hour)) / 744m;
            return Q(AggregationKind.WeightedSum, changes) == expected;
        });

    [Property(MaxTest = 150)]
    public Property A_charge_priced_per_bucket_is_the_sum_of_its_bucket_amounts_and_its_steps_add_up() =>
        Prop.ForAll(Outcomes.ToArbitrary(), Gen.Choose(0, 6).ToArbitrary(), (outcomes, free) =>
        {
            var rule = Charge("usage", Graduated((5m, 0m), (10m, 2m), (null, 3m)), free: free) with
            {
                Aggregation = Agg(AggregationKind.Max, AggregationBucket.Day, separately: true),
            };
            var result = ChargeCalculator.Rate(rule, "USD", outcomes);
            var byDay = outcomes.GroupBy(o => o.EventTime.Date).Select(g => g.Max(o => o.Quantity)).ToList();
            var expected = byDay.Sum(max => Tiered(Math.Max(0m, max - free)));
            var steps = LineBreakdown.Charge(rule, result, "USD");
            return result.ExactAmount == expected
                   && result.ExactAmount == result.Aggregate!.Priced.Sum(b => b.Exact)
                   && result.Quantity == byDay.Sum()
                   && CurrencyMath.RoundHalfUp(steps.Sum(s => s.Amount), "USD") == result.Amount;
        });

    [Property(MaxTest = 150)]
    public Property An_aggregated_charge_breakdown_adds_up_to_its_line() =>
        Prop.ForAll(Outcomes.ToArbitrary(), Gen.Elements(All).ToArbitrary(), Gen.Choose(0, 6).ToArbitrary(), (outcomes, kind, free) =>
        {
            var rule = Charge("usage", Volume((5m, 1.5m), (null, 0.7m)), free: free, cap: 40m) with { Aggregation = Agg(kind) };
            var result = ChargeCalculator.Rate(rule, "USD", outcomes, new RatingContext("acme", "c", 1, "USD", Jan1, Feb1, Jan1, Feb1));
            var steps = LineBreakdown.Charge(rule, result, "USD");
            return steps[0].Kind == "aggregate" && steps[0].Quantity == result.Quantity
                   && CurrencyMath.RoundHalfUp(steps.Sum(s => s.Amount), "USD") == result.Amount;
        });

    private static decimal Tiered(decimal q) => Math.Min(q, 5m) * 0m + Math.Clamp(q - 5m, 0m, 5m) * 2m + Math.Max(q - 10m, 0m) * 3m;
}
