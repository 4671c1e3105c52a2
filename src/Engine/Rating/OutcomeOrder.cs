using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Rating;

/// <summary>Billing order of outcomes: BillableAt, then event source, then event id (ordinal). Free units follow it.</summary>
internal sealed class OutcomeOrder : IComparer<OutcomeInstance>
{
    public static readonly OutcomeOrder Billing = new();

    public int Compare(OutcomeInstance? x, OutcomeInstance? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var byTime = x.BillableAt.UtcTicks.CompareTo(y.BillableAt.UtcTicks);
        if (byTime != 0) return byTime;
        var bySource = string.CompareOrdinal(x.EventSource, y.EventSource);
        return bySource != 0 ? bySource : string.CompareOrdinal(x.EventId, y.EventId);
    }
}
