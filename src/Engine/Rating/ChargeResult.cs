using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Rating;

/// <summary>
/// One charge rated over its outcomes. <see cref="ExactAmount"/> is after the charge cap and before rounding;
/// <see cref="Amount"/> is that rounded once, half-up, at the currency's minor units. Tier parts carry their own
/// rounded amounts for the explanation only; they need not sum to <see cref="Amount"/>.
/// </summary>
internal sealed record ChargeResult(
    decimal Quantity,
    decimal FreeQuantity,
    decimal BilledQuantity,
    decimal UncappedAmount,
    decimal ExactAmount,
    decimal Amount,
    IReadOnlyList<TierPart> Tiers,
    decimal? UnitPrice,
    decimal? Packages,
    bool CapApplied,
    /// <summary>The outcomes in billing order with what each contributed.</summary>
    IReadOnlyList<OutcomeCharge> Outcomes)
{
    /// <summary>How the quantity was aggregated (docs/dsl-spec.md §9.12); null for a charge without <c>aggregate</c>.</summary>
    public ChargeAggregate? Aggregate { get; init; }
    /// <summary>The tier flat fees billed (docs/dsl-spec.md §9.5.1), exact, in tier order; empty without flat fees.</summary>
    public IReadOnlyList<TierFlat> Flats { get; init; } = [];
}

/// <summary>
/// The aggregation behind a charge's quantity: the clause, the aggregated quantity with its buckets and, when each
/// bucket is priced on its own, each bucket's rating (free units, model, exact amount) in bucket order.
/// </summary>
internal sealed record ChargeAggregate(
    RulesBilling.Dsl.Model.ChargeAggregation Aggregation,
    AggregatedQuantity Quantity,
    IReadOnlyList<BucketCharge> Priced);

/// <summary>One bucket priced on its own: its quantity, free and billed units, and the model's exact amount.</summary>
internal sealed record BucketCharge(AggregateBucket Bucket, decimal Free, decimal Billed, decimal Exact, IReadOnlyList<TierPart> Tiers, decimal? Packages);

/// <summary>The flat fee of the tier (From, UpTo], billed once because the tier was used (or is the first, at zero).</summary>
internal sealed record TierFlat(decimal From, decimal? UpTo, decimal Amount);

/// <summary>
/// An outcome's part of a charge: its billed quantity after free units and, for percent charges, its exact
/// clamped amount (zero when it was one of the free outcomes).
/// </summary>
internal sealed record OutcomeCharge(OutcomeInstance Outcome, decimal BilledQuantity, decimal? PercentAmount)
{
    /// <summary>For percent charges with a free amount: the value left to charge after it (null: the whole value).</summary>
    public decimal? BilledValue { get; init; }

    /// <summary>True when a free amount covered the whole value: nothing is charged, not even the fee or the minimum.</summary>
    public bool Exempt { get; init; }
}
