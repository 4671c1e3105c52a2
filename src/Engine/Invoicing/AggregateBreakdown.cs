using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Invoicing.LineBreakdown;

namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// The breakdown steps of an aggregated charge (docs/dsl-spec.md §9.12): an <c>aggregate</c> step (amount 0) saying
/// how the quantity was read, with its buckets; when each bucket is priced on its own, one <c>bucket</c> step per
/// bucket with its exact amount. The steps still add up to the line.
/// </summary>
internal static class AggregateBreakdown
{
    /// <summary>"max per hour of 5 outcomes: 8 in [07:00, 08:00) + 10 in [08:00, 09:00) = 18 units".</summary>
    public static LineStep Step(ChargeAggregate aggregate, int outcomes)
    {
        var quantity = aggregate.Quantity;
        var head = $"{aggregate.Aggregation.Describe()} of {Count(outcomes, "outcome")}";
        var text = quantity.Buckets.Count == 0
            ? $"{head}: {Q(quantity.Quantity)} {Plural(quantity.Quantity, "unit")}"
            : $"{head} in {Count(quantity.Buckets.Count, "bucket")}: {string.Join(" + ", quantity.Buckets.Select(b => $"{Q(b.Quantity)} in {Range(b)}"))} = {Q(quantity.Quantity)} {Plural(quantity.Quantity, "unit")}";
        if (aggregate.Aggregation.Kind == AggregationKind.WeightedSum)
            text = $"{head}: each level × the share of the period it held = {Q(quantity.Quantity)} {Plural(quantity.Quantity, "unit")}";
        return new LineStep("aggregate", text, quantity.Quantity, null, 0m);
    }

    /// <summary>Each bucket priced on its own: free units and the model per bucket, then the charge cap.</summary>
    public static IReadOnlyList<LineStep> PricedSeparately(ChargeRule rule, ChargeResult result, ChargeAggregate aggregate, string currency)
    {
        var steps = new List<LineStep> { Step(aggregate, result.Outcomes.Count) };
        foreach (var bucket in aggregate.Priced)
        {
            var free = bucket.Free > 0m ? $", {Q(bucket.Free)} free" : "";
            steps.Add(new LineStep("bucket",
                $"{Range(bucket.Bucket)}: {Q(bucket.Bucket.Quantity)}{free}, {ModelText(rule, bucket, currency)} {Is(bucket.Exact, currency)}",
                bucket.Billed, null, bucket.Exact));
        }
        if (result.CapApplied && rule.Cap is { } cap)
        {
            var reduction = result.ExactAmount - result.UncappedAmount;
            steps.Add(new LineStep("cap", $"charge cap {P(cap.In(currency), currency)}: {P(reduction, currency)}", null, null, reduction));
        }
        return steps;
    }

    private static string ModelText(ChargeRule rule, BucketCharge bucket, string currency) => rule.Model switch
    {
        UnitModel unit => $"{Q(bucket.Billed)} × {P(unit.Price.In(currency), currency)}",
        PackageModel package => $"{Count(bucket.Packages ?? 0m, "package")} × {P(package.Price.In(currency), currency)}",
        _ when bucket.Tiers.Count == 0 => $"{Q(bucket.Billed)} units billed",
        _ => string.Join(" + ", bucket.Tiers.Select(t => $"{Q(t.Quantity)} × {P(t.UnitPrice, currency)}")),
    };

    private static string Range(AggregateBucket bucket) => $"[{UtcTimestamp.Format(bucket.From)}, {UtcTimestamp.Format(bucket.To)})";
}
