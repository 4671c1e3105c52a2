using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Accounting;

/// <summary>
/// When each billed outcome became billable (its validation window closed) and its quantity, by the event that created
/// it (source/id, as invoice lines list their events). Read from the activity read model, so recognition uses the very
/// placement the invoice billed.
/// </summary>
public sealed class OutcomeTimeline
{
    private readonly Dictionary<string, (DateTimeOffset BillableAt, decimal Quantity)> _outcomes;

    private OutcomeTimeline(Dictionary<string, (DateTimeOffset, decimal)> outcomes) => _outcomes = outcomes;

    public static OutcomeTimeline Empty { get; } = new(new Dictionary<string, (DateTimeOffset, decimal)>(StringComparer.Ordinal));

    /// <summary>Every outcome of <paramref name="outcomes"/>, in whatever state.</summary>
    public static OutcomeTimeline From(IEnumerable<OutcomeInstance> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var map = new Dictionary<string, (DateTimeOffset, decimal)>(StringComparer.Ordinal);
        // Reversed outcomes stay: an invoice issued before a late reversal billed them, and its schedule must not move.
        foreach (var o in outcomes)
            map[EventRef.Of(o.EventSource, o.EventId)] = (o.BillableAt, o.Quantity);
        return new OutcomeTimeline(map);
    }

    /// <summary>The outcomes of every customer's activity.</summary>
    public static OutcomeTimeline From(IEnumerable<CustomerActivity> activities) =>
        From(activities.SelectMany(a => a.Outcomes));

    public bool TryFind(string eventRef, out DateTimeOffset billableAt, out decimal quantity)
    {
        var found = _outcomes.TryGetValue(eventRef, out var o);
        (billableAt, quantity) = o;
        return found;
    }
}
