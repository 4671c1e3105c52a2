using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

// The checked rule set: declarations with bound expressions, ready to be lowered to the compiled model.
// Price lists and charge models need no lowering and are already model records.

internal sealed record BoundOutcome(
    string Name,
    EventSchema Event,
    SourceText Source,
    TextSpan Span,
    BoundExpr? When,
    BoundExpr? Key,
    TimeSpan? Within,
    BoundExpr? Quantity,
    BoundExpr? Value,
    BoundHold? Hold,
    IReadOnlyList<BoundDimension> Dimensions,
    BoundSplit? Split)
{
    public string? Label { get; init; }

    public string? Description { get; init; }

    public BoundDisqualification? Disqualification { get; init; }
}

internal sealed record BoundDisqualification(EventSchema DisqualifyingEvent, BoundExpr On, BoundExpr? Where);

internal sealed record BoundHold(TimeSpan Window, EventSchema ReversingEvent, BoundExpr On);

internal sealed record BoundDimension(string Name, BoundExpr Value);

internal sealed record BoundSplit(string Dimension, IReadOnlyList<BoundSplitShare> Shares);

internal sealed record BoundSplitShare(decimal Fraction, BoundExpr Target);

internal sealed record BoundCost(
    string Name,
    EventSchema Event,
    SourceText Source,
    TextSpan Span,
    BoundExpr? When,
    BoundExpr Amount,
    string? Outcome,
    BoundExpr? OutcomeKey,
    IReadOnlyList<BoundDimension> Dimensions);

internal sealed record BoundCharge(string Outcome, BoundExpr? Filter, ChargeModel Model, decimal FreeUnits, PriceList? Cap, SourceText Source, TextSpan Span)
{
    public string? Label { get; init; }

    public TextSpan? LabelSpan { get; init; }

    public string? Description { get; init; }

    /// <summary>The checked <c>aggregate</c> clause, if any (docs/dsl-spec.md §9.12).</summary>
    public BoundAggregation? Aggregation { get; init; }
}

/// <summary><c>aggregate</c>: the kind, the bound <c>unique of</c> expression (over the outcome's dimensions) and the bucket.</summary>
internal sealed record BoundAggregation(AggregationKind Kind, BoundExpr? UniqueOf, AggregationBucket? Bucket, bool PricedSeparately);

internal sealed record BoundGuard(string Name, BoundExpr Condition, GuardActionType Action, PriceList? CapAmount, SourceText Source, TextSpan Span)
{
    public string? Label { get; init; }

    public string? Description { get; init; }
}

internal sealed record BoundPricing(
    string Name,
    PriceList? BaseFee,
    IReadOnlyList<BoundCharge> Charges,
    PriceList? Minimum,
    PriceList? Cap,
    IReadOnlyList<BoundGuard> Guards,
    IReadOnlyList<string> Currencies)
{
    public bool BaseInAdvance { get; init; }

    public string? Parent { get; init; }
}

/// <summary>A checked contract version; <see cref="ContractVersion.SourceHash"/> is filled in by the compiler.</summary>
internal sealed record BoundContract(ContractVersion Version, SourceText Source);

internal sealed record BoundRuleSet(
    IReadOnlyList<EventSchema> Events,
    IReadOnlyList<BoundOutcome> Outcomes,
    IReadOnlyList<BoundCost> Costs,
    IReadOnlyList<BoundPricing> Pricings,
    IReadOnlyList<BoundContract> Contracts)
{
    public IReadOnlyDictionary<string, FeatureRule> Features { get; init; } = new SortedDictionary<string, FeatureRule>(StringComparer.Ordinal);

    public IReadOnlyList<ContractFeatures> FeatureGrants { get; init; } = [];
}
