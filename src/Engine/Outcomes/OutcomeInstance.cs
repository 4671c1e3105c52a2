namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// One detected outcome after dedup: the event that created it, its key, quantity, value, dimensions,
/// and its billing time (event time + hold window; equal to the event time without a hold).
/// </summary>
public sealed record OutcomeInstance(
    string Outcome,
    string Customer,
    string Key,
    string EventSource,
    string EventId,
    DateTimeOffset EventTime,
    DateTimeOffset BillableAt,
    decimal Quantity,
    decimal? Value,
    string? ValueCurrency,
    IReadOnlyDictionary<string, string?> Dimensions,
    IReadOnlyList<SplitAllocationShare> Split,
    OutcomeState State,
    /// <summary>Events folded into this outcome as duplicates of its key (source/id), for the explanation.</summary>
    IReadOnlyList<string> DuplicateEventIds,
    string? ReversedByEventId);

public enum OutcomeState
{
    /// <summary>Billable at <see cref="OutcomeInstance.BillableAt"/>.</summary>
    Billable,
    /// <summary>Still inside its validation window at the evaluation cutoff.</summary>
    Pending,
    /// <summary>A reversing event arrived inside the validation window.</summary>
    Reversed,
}

/// <summary>A share of an outcome's revenue credited to one value of the split dimension.</summary>
public sealed record SplitAllocationShare(string Dimension, string? Target, decimal Fraction);
