namespace RulesBilling.Dsl.Model;

/// <summary>A compiled <c>outcome</c> declaration.</summary>
public sealed record OutcomeRule(
    string Name,
    string EventType,
    /// <summary>Qualifying condition; null means every event of the type qualifies.</summary>
    Func<RuleEvent, bool>? Condition,
    /// <summary>Dedup key; null means each event (source, id) is its own outcome.</summary>
    Func<RuleEvent, string>? Key,
    /// <summary>With a key: null = one outcome per key ever; otherwise one per key per window from the first counted one.</summary>
    TimeSpan? DedupWindow,
    /// <summary>Quantity per outcome; the default clause is the constant 1.</summary>
    Func<RuleEvent, decimal> Quantity,
    /// <summary>The outcome's value (money in <see cref="ValueCurrency"/>), used by percent charges.</summary>
    Func<RuleEvent, decimal>? Value,
    string? ValueCurrency,
    HoldRule? Hold,
    IReadOnlyList<DimensionRule> Dimensions,
    SplitRule? Split,
    SourceLocation Location)
{
    /// <summary>What a customer reads for this outcome: the declared <c>label</c>, else the name made readable ("Resolved ticket").</summary>
    public string Label { get; init; } = ReadableText.Humanize(Name);

    /// <summary>The declared <c>description</c>, if any.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// True when a charge aggregates this outcome with <c>weighted_sum</c> (docs/dsl-spec.md §9.12): its quantities are
    /// changes of a level, so a negative one (a seat removed) is allowed; other charges still refuse it (RB0903).
    /// </summary>
    public bool SignedQuantity { get; init; }

    /// <summary>The <c>disqualified by</c> clause, if any.</summary>
    public DisqualificationRule? Disqualification { get; init; }

    /// <summary>
    /// The top-level <c>and</c>-parts of <see cref="Condition"/> in source order, so an excluded event can say which part
    /// failed; one part when the condition is not a conjunction, none without a condition.
    /// </summary>
    public IReadOnlyList<ConditionPart> ConditionParts { get; init; } = [];
}

/// <summary>
/// One <c>and</c>-part of an outcome condition: its source text, its test (valid only once the parts before it held,
/// as <c>has(x) and x …</c> narrows), and the fields it reads, to show their values.
/// </summary>
public sealed record ConditionPart(string Text, Func<RuleEvent, bool> Holds, IReadOnlyList<ConditionField> Fields);

/// <summary>A schema field a condition part reads, by name and slot in <see cref="RuleEvent.Fields"/>.</summary>
public sealed record ConditionField(string Name, int Slot);

/// <summary><c>hold 7d reversed by ticket.reopened on ticket_id</c>.</summary>
/// <summary>
/// <c>disqualified by E on KEY [where COND]</c> (docs/dsl-spec.md §7.8): an event of <paramref name="EventType"/> for which
/// <paramref name="Condition"/> holds excludes every event with the key <paramref name="DisqualifiedKey"/> forever.
/// </summary>
public sealed record DisqualificationRule(string EventType, Func<RuleEvent, string> DisqualifiedKey, Func<RuleEvent, bool>? Condition);

public sealed record HoldRule(TimeSpan Window, string ReversingEventType, Func<RuleEvent, string> ReversalKey);

/// <summary>A named attribution dimension; the selector returns null when the dimension is absent.</summary>
public sealed record DimensionRule(string Name, Func<RuleEvent, string?> Selector);

/// <summary>A revenue split of one outcome across several values of a dimension; fractions sum to exactly 1.</summary>
public sealed record SplitRule(string Dimension, IReadOnlyList<SplitShareRule> Shares);

public sealed record SplitShareRule(decimal Fraction, Func<RuleEvent, string?> Target);
