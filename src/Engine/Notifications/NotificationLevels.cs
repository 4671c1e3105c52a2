namespace RulesBilling.Engine.Notifications;

/// <summary>
/// The levels at which entitlement.threshold (percent of a metered limit reached in a window) and credits.low
/// (available credit after pending usage below this percent of the live grants) are raised. Both ascending.
/// </summary>
public sealed record NotificationLevels(IReadOnlyList<int> ThresholdPercents, IReadOnlyList<int> CreditsLowPercents)
{
    public const int MinPercent = 1;
    public const int MaxPercent = 100;

    public static IReadOnlyList<int> DefaultThresholdPercents { get; } = [50, 80, 100];
    public const int DefaultCreditsLowPercent = 20;

    /// <summary>What a subscription that chose no levels gets.</summary>
    public static NotificationLevels Default { get; } = new(DefaultThresholdPercents, [DefaultCreditsLowPercent]);

    /// <summary>
    /// Every level asked for by the subscriptions to that event type; the default levels when none subscribes to it.
    /// A tenant without any subscription raises nothing (see EntitlementView.Refresh).
    /// </summary>
    public static NotificationLevels Of(IReadOnlyList<WebhookSubscription> subscriptions)
    {
        var thresholds = subscriptions.Where(s => s.EventTypes.Contains(NotificationTypes.EntitlementThreshold, StringComparer.Ordinal))
            .SelectMany(s => s.EffectiveThresholdPercents).Distinct().Order().ToList();
        var low = subscriptions.Where(s => s.EventTypes.Contains(NotificationTypes.CreditsLow, StringComparer.Ordinal))
            .Select(s => s.EffectiveCreditsLowPercent).Distinct().Order().ToList();
        return new(thresholds.Count == 0 ? Default.ThresholdPercents : thresholds, low.Count == 0 ? Default.CreditsLowPercents : low);
    }
}
