using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Invoicing.LineBreakdown;
using static RulesBilling.Engine.Rating.QuantityText;

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
        {
            // "(20 × 1d + 30 × 10d + 25 × 5d) / 31d": each level times the time it held, over the period's length.
            var held = quantity.Levels.Count == 0 ? "0" : string.Join(" + ", quantity.Levels.Select(l => $"{Q(l.Level)} × {Span(l.To - l.From)}"));
            text = $"{head}: level × time held / period = ({held}) / {Span(quantity.Period)} {Approx(quantity.Quantity)} {Plural(quantity.Quantity, "unit")}";
        }
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

    private static string Span(TimeSpan span) => span.Ticks % TimeSpan.TicksPerDay == 0
        ? $"{span.Ticks / TimeSpan.TicksPerDay}d"
        : span.Ticks % TimeSpan.TicksPerHour == 0 ? $"{span.Ticks / TimeSpan.TicksPerHour}h"
        : span.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{span.Ticks / TimeSpan.TicksPerSecond}s"
        : $"{span.Ticks} ticks";

    /// <summary>"= 18" when exact in six decimals, else "≈ 14.354839" (the step's quantity stays exact).</summary>
    private static string Approx(decimal quantity)
    {
        var shown = Math.Round(quantity, 6, MidpointRounding.AwayFromZero);
        return shown == quantity ? $"= {Q(quantity)}" : $"≈ {Q(shown)}";
    }

    private static string Range(AggregateBucket bucket) => $"[{UtcTimestamp.Format(bucket.From)}, {UtcTimestamp.Format(bucket.To)})";
}
