using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Rating;

// Charges with an `aggregate` clause (docs/dsl-spec.md §9.12): the quantity comes from the aggregation, then free
// units and the model apply to it as to any quantity — or, `priced separately`, to each time bucket on its own.
internal static partial class ChargeCalculator
{
    private static ChargeResult RateAggregated(ChargeRule rule, ChargeAggregation aggregation, string currency, List<OutcomeInstance> ordered, RatingContext? context)
    {
        // Without a context (a charge rated on its own, outside an invoice) the segment is the span of the outcomes' UTC days.
        var (from, to, periodTicks) = context is { } c && c.SegmentTo > c.SegmentFrom
            ? (c.SegmentFrom, c.SegmentTo, (c.PeriodTo - c.PeriodFrom).Ticks)
            : Span(ordered);
        var aggregated = UsageAggregator.Aggregate(aggregation, ordered, from, to, periodTicks, rule.Location);
        var perOutcome = ordered.Select((o, i) => new OutcomeCharge(o, aggregated.Weights[i], null)).ToList();

        if (aggregation.PricedSeparately)
        {
            var priced = aggregated.Buckets.Select(bucket =>
            {
                var bucketFree = Math.Min(bucket.Quantity, rule.FreeUnits);
                var bucketBilled = bucket.Quantity - bucketFree;
                var (amount, tiers, _, packages) = Model(rule, currency, bucketBilled);
                return new BucketCharge(bucket, bucketFree, bucketBilled, amount, tiers, packages);
            }).ToList();
            var exactSum = priced.Sum(p => p.Exact);
            var unit = rule.Model is UnitModel u ? u.Price.In(currency) : (decimal?)null;
            return new ChargeResult(aggregated.Quantity, priced.Sum(p => p.Free), priced.Sum(p => p.Billed), exactSum, exactSum, 0m,
                [], unit, null, false, perOutcome)
            {
                Aggregate = new ChargeAggregate(aggregation, aggregated, priced),
            };
        }

        var quantity = aggregated.Quantity;
        var free = Math.Min(quantity, rule.FreeUnits);
        var billed = quantity - free;
        var (exact, parts, unitPrice, packageCount) = Model(rule, currency, billed);
        return new ChargeResult(quantity, free, billed, exact, exact, 0m, parts, unitPrice, packageCount, false, perOutcome)
        {
            Aggregate = new ChargeAggregate(aggregation, aggregated, []),
        };
    }

    /// <summary>The quantity models (the checker refuses <c>aggregate</c> on percent and script charges, RB0332).</summary>
    private static (decimal, IReadOnlyList<TierPart>, decimal?, decimal?) Model(ChargeRule rule, string currency, decimal billed) => rule.Model switch
    {
        UnitModel unit => (billed * unit.Price.In(currency), [], unit.Price.In(currency), null),
        TieredModel { Mode: TierModeKind.Graduated } tiered => Graduated(tiered, currency, billed),
        TieredModel tiered => Volume(tiered, currency, billed),
        PackageModel package => Package(package, currency, billed),
        _ => throw new InvalidOperationException($"charge '{rule.Outcome}' aggregates its quantity but has model {rule.Model.GetType().Name}; the checker should have refused it (RB0332)"),
    };

    private static (DateTimeOffset, DateTimeOffset, long) Span(List<OutcomeInstance> outcomes)
    {
        if (outcomes.Count == 0) return (default, default, TimeSpan.TicksPerDay);
        var from = UsageAggregator.BucketStart(outcomes.Min(o => o.EventTime), AggregationBucket.Day);
        var to = UsageAggregator.BucketStart(outcomes.Max(o => o.EventTime), AggregationBucket.Day).AddDays(1);
        return (from, to, (to - from).Ticks);
    }
}
