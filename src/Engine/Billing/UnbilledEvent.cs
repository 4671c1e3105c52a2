namespace RulesBilling.Engine.Billing;

/// <summary>
/// An accepted event that no invoice bills, and why: dsl-spec §10.3 promises such events are "reported, not
/// guessed". <see cref="EventId"/> is "source/id".
/// </summary>
public sealed record UnbilledEvent(string Customer, string EventId, string Type, DateTimeOffset Time, string Reason, string Detail);

/// <summary>The stable reason codes of <see cref="UnbilledEvent.Reason"/>.</summary>
public static class UnbilledReasons
{
    /// <summary>No contract governs the customer at the event's time: none names it, there is no default, or it has not started (or has ended).</summary>
    public const string NoContract = "no-contract";
}
