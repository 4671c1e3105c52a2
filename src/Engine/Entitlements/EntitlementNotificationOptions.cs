namespace RulesBilling.Engine.Entitlements;

/// <summary>
/// When the view raises entitlement.threshold (each percentage of a metered limit reached in a window) and
/// credits.low (available credit after pending usage below this percentage of the live grants).
/// </summary>
public sealed record EntitlementNotificationOptions(IReadOnlyList<int> ThresholdPercents, int CreditsLowPercent)
{
    public static EntitlementNotificationOptions Default { get; } = new([50, 80, 100], 20);
}
