using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine.Outcomes;

/// <summary>The processing order of events everywhere in rating: event time, then source, then id (ordinal).</summary>
internal static class EventOrder
{
    public static int Compare(RuleEvent a, RuleEvent b)
    {
        var byTime = a.Time.CompareTo(b.Time);
        if (byTime != 0) return byTime;
        var bySource = string.CompareOrdinal(a.Source, b.Source);
        return bySource != 0 ? bySource : string.CompareOrdinal(a.Id, b.Id);
    }

    /// <summary>Compares by time, then by the "source/id" reference.</summary>
    public static int Compare(DateTimeOffset timeA, string refA, DateTimeOffset timeB, string refB)
    {
        var byTime = timeA.CompareTo(timeB);
        return byTime != 0 ? byTime : string.CompareOrdinal(refA, refB);
    }
}
