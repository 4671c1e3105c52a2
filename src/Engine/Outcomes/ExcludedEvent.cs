namespace RulesBilling.Engine.Outcomes;

/// <summary>An event that did not count towards a line, and why. Reasons use the fixed vocabulary of <see cref="ExclusionReasons"/>.</summary>
public sealed record ExcludedEvent(string EventId, string Outcome, string Reason, string? Detail);

public static class ExclusionReasons
{
    public const string FailedCondition = "failed-condition";
    public const string DuplicateKey = "duplicate-key";
    public const string ReversedWithinWindow = "reversed-within-window";
    public const string PendingValidation = "pending-validation-window";
    public const string OutsidePeriod = "outside-period";
    public const string RejectedBySchema = "rejected-by-schema";
    public const string NoMatchingCharge = "no-matching-charge";
    public const string RatingError = "rating-error";
}
