namespace RulesBilling.Engine.Outcomes;

/// <summary>An event that did not count towards a line, and why. Reasons use the fixed vocabulary of <see cref="ExclusionReasons"/>.</summary>
public sealed record ExcludedEvent(string EventId, string Outcome, string Reason, string? Detail);

public static class ExclusionReasons
{
    public const string FailedCondition = "failed-condition";
    public const string DuplicateKey = "duplicate-key";
    public const string ReversedWithinWindow = "reversed-within-window";
    /// <summary>The event's key was disqualified (docs/dsl-spec.md §7.8): never billable, whenever the events came.</summary>
    public const string Disqualified = "disqualified";
    public const string PendingValidation = "pending-validation-window";
    public const string OutsidePeriod = "outside-period";
    public const string RejectedBySchema = "rejected-by-schema";
    public const string NoMatchingCharge = "no-matching-charge";
    public const string RatingError = "rating-error";
}
