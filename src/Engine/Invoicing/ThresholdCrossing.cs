namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// What a threshold invoice bills (docs/dsl-spec.md §10.9): the thresholds its period's usage amount reached at
/// <see cref="CrossedAt"/> (several when one instant passed more than one), the highest of them by its 0-based
/// <see cref="Index"/> in the contract's schedule, and the usage amount then.
/// </summary>
public sealed record ThresholdCrossing(int Index, IReadOnlyList<decimal> Amounts, DateTimeOffset CrossedAt, decimal UsageAmount);
