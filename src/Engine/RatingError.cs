namespace RulesBilling.Engine;

/// <summary>
/// A rule that could not be evaluated for one event (division by zero, overflow, negative quantity…).
/// It is reported and blocks finalization; the event is never counted as zero.
/// </summary>
public sealed record RatingError(
    string Customer,
    /// <summary>The event as "source/id"; empty when the fault is in the invoice's pricing rather than in one event.</summary>
    string EventId,
    /// <summary>The outcome or cost rule being evaluated (or "pricing of contract 'c'").</summary>
    string Rule,
    string Code,
    /// <summary>Rendered <c>file:line:col: error RBnnnn: message</c>.</summary>
    string Message)
{
    public override string ToString() =>
        EventId.Length == 0 ? $"{Message} (customer {Customer}, rule {Rule})" : $"{Message} (event {EventId}, customer {Customer}, rule {Rule})";
}
