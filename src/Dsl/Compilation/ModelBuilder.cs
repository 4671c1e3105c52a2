using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Compilation;

/// <summary>Lowers a checked rule set (no errors) to the compiled model the engine runs.</summary>
internal static class ModelBuilder
{
    public static CompiledRuleSet Build(BoundRuleSet bound, IReadOnlyList<SourceText> sources)
    {
        var events = new SortedDictionary<string, EventSchema>(StringComparer.Ordinal);
        foreach (var schema in bound.Events) events[schema.Name] = schema;

        var outcomeLabels = bound.Outcomes.ToDictionary(o => o.Name, o => (Label: o.Label ?? ReadableText.Humanize(o.Name), o.Description), StringComparer.Ordinal);
        var pricings = new SortedDictionary<string, PricingPlan>(StringComparer.Ordinal);
        foreach (var pricing in bound.Pricings) pricings[pricing.Name] = BuildPricing(pricing, outcomeLabels);

        var contracts = bound.Contracts
            .Select(c => c.Version with { SourceHash = SourceHashing.Of(c.Source) })
            .ToArray();

        // An outcome some charge aggregates with weighted_sum carries changes of a level: negative quantities are allowed.
        var signed = bound.Pricings.SelectMany(p => p.Charges)
            .Where(c => c.Aggregation?.Kind == AggregationKind.WeightedSum).Select(c => c.Outcome).ToHashSet(StringComparer.Ordinal);

        return new CompiledRuleSet(
            events,
            bound.Outcomes.Select(o => BuildOutcome(o, signed.Contains(o.Name))).ToArray(),
            bound.Costs.Select(BuildCost).ToArray(),
            pricings,
            contracts,
            SourceHashing.Of(sources))
        {
            Features = bound.Features,
            FeatureGrants = bound.FeatureGrants,
        };
    }

    private static OutcomeRule BuildOutcome(BoundOutcome outcome, bool signedQuantity)
    {
        var source = outcome.Source;
        return new OutcomeRule(
            outcome.Name,
            outcome.Event.Name,
            outcome.When is null ? null : ExpressionCompiler.CompileEvent<bool>(outcome.When, source),
            outcome.Key is null ? null : ExpressionCompiler.CompileKey(outcome.Key, source),
            outcome.Within,
            outcome.Quantity is null ? static _ => 1m
                : signedQuantity ? ExpressionCompiler.CompileSignedQuantity(outcome.Quantity, source)
                : ExpressionCompiler.CompileQuantity(outcome.Quantity, source),
            outcome.Value is null ? null : ExpressionCompiler.CompileEvent<decimal>(outcome.Value, source),
            outcome.Value?.Type.Currency,
            outcome.Hold is { } hold ? new HoldRule(hold.Window, hold.ReversingEvent.Name, ExpressionCompiler.CompileKey(hold.On, source)) : null,
            BuildDimensions(outcome.Dimensions, source),
            outcome.Split is { } split
                ? new SplitRule(split.Dimension, split.Shares.Select(s => new SplitShareRule(s.Fraction, ExpressionCompiler.CompileOptionalString(s.Target, source))).ToArray())
                : null,
            Locate(source, outcome.Span))
        {
            Label = outcome.Label ?? ReadableText.Humanize(outcome.Name),
            Description = outcome.Description,
            SignedQuantity = signedQuantity,
            Disqualification = outcome.Disqualification is { } d
                ? new DisqualificationRule(d.DisqualifyingEvent.Name, ExpressionCompiler.CompileKey(d.On, source),
                    d.Where is null ? null : ExpressionCompiler.CompileEvent<bool>(d.Where, source))
                : null,
            ConditionParts = outcome.When is null ? [] : ReadableLabels.ConditionParts(outcome.When, source),
        };
    }

    private static CostRule BuildCost(BoundCost cost)
    {
        var source = cost.Source;
        return new CostRule(
            cost.Name,
            cost.Event.Name,
            cost.When is null ? null : ExpressionCompiler.CompileEvent<bool>(cost.When, source),
            ExpressionCompiler.CompileEvent<decimal>(cost.Amount, source),
            cost.Amount.Type.Currency!,
            cost.Outcome,
            cost.OutcomeKey is null ? null : ExpressionCompiler.CompileKey(cost.OutcomeKey, source),
            BuildDimensions(cost.Dimensions, source),
            Locate(source, cost.Span));
    }

    private static DimensionRule[] BuildDimensions(IReadOnlyList<BoundDimension> dimensions, SourceText source) =>
        dimensions.Select(d => new DimensionRule(d.Name, ExpressionCompiler.CompileOptionalString(d.Value, source))).ToArray();

    private static PricingPlan BuildPricing(
        BoundPricing pricing, IReadOnlyDictionary<string, (string Label, string? Description)> outcomes) => new(
        pricing.Name,
        pricing.BaseFee,
        pricing.Charges.Select((c, i) => new ChargeRule(
            c.Outcome,
            c.Filter is null ? null : ExpressionCompiler.CompileFilter(c.Filter, c.Source),
            c.Filter is null ? null : Text(c.Source, c.Filter.Span),
            c.Model,
            c.FreeUnits,
            c.Cap,
            Locate(c.Source, c.Span))
        {
            Label = ReadableLabels.Charge(c, i, pricing.Charges, outcomes[c.Outcome].Label),
            Description = c.Description ?? outcomes[c.Outcome].Description,
            Aggregation = c.Aggregation is { } a ? BuildAggregation(a, c.Source) : null,
        }).ToArray(),
        pricing.Minimum,
        pricing.Cap,
        pricing.Guards.Select(g => new GuardRule(
            g.Name,
            ExpressionCompiler.CompileGuard(g.Condition, g.Source),
            Text(g.Source, g.Condition.Span),
            g.Action,
            g.CapAmount,
            Locate(g.Source, g.Span))
        {
            Label = g.Label ?? ReadableText.Humanize(g.Name),
            Description = g.Description,
        }).ToArray(),
        pricing.Currencies)
    {
        BaseInAdvance = pricing.BaseInAdvance,
        Parent = pricing.Parent,
    };

    private static ChargeAggregation BuildAggregation(BoundAggregation a, SourceText source) => new(
        a.Kind,
        a.UniqueOf is null ? null : ExpressionCompiler.CompileDimensionKey(a.UniqueOf, source),
        a.UniqueOf is null ? null : Text(source, a.UniqueOf.Span),
        a.Bucket,
        a.PricedSeparately);

    private static string Text(SourceText source, TextSpan span) => source.Text[span.Start..span.End];

    public static SourceLocation Locate(SourceText source, TextSpan span)
    {
        var (line, column) = source.GetLineColumn(span.Start);
        return new SourceLocation(source.Path, line, column);
    }
}
