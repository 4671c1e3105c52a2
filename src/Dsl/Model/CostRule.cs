namespace RulesBilling.Dsl.Model;

/// <summary>A compiled <c>cost</c> declaration: a cost signal read from events.</summary>
public sealed record CostRule(
    string Name,
    string EventType,
    Func<RuleEvent, bool>? Condition,
    Func<RuleEvent, decimal> Amount,
    string Currency,
    /// <summary>The outcome this cost is attributed to, if any.</summary>
    string? Outcome,
    /// <summary>Selects the outcome key this cost belongs to (<c>for x on key</c>).</summary>
    Func<RuleEvent, string?>? OutcomeKey,
    IReadOnlyList<DimensionRule> Dimensions,
    SourceLocation Location);
