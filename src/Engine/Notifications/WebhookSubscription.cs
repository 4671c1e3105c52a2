namespace RulesBilling.Engine.Notifications;

/// <summary>
/// A tenant's endpoint and the event types it receives. <see cref="Secret"/> signs every delivery (HMAC-SHA256).
/// <see cref="ThresholdPercents"/> are the entitlement.threshold levels it wants (empty: 50, 80 and 100);
/// <see cref="CreditsLowPercent"/> is its credits.low level (null: 20). The view raises every level some
/// subscription asked for, and each subscription receives only its own levels.
/// </summary>
public sealed record WebhookSubscription(
    string Tenant,
    string Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string Secret,
    IReadOnlyList<int> ThresholdPercents,
    DateTimeOffset CreatedAt)
{
    public int? CreditsLowPercent { get; init; }

    public IReadOnlyList<int> EffectiveThresholdPercents => ThresholdPercents.Count == 0 ? NotificationLevels.DefaultThresholdPercents : ThresholdPercents;

    public int EffectiveCreditsLowPercent => CreditsLowPercent ?? NotificationLevels.DefaultCreditsLowPercent;

    public bool Wants(Notification notification) =>
        EventTypes.Contains(notification.Type, StringComparer.Ordinal)
        && (notification.ThresholdPercent is not { } percent || EffectiveThresholdPercents.Contains(percent))
        && (notification.CreditsLowPercent is not { } low || EffectiveCreditsLowPercent == low);
}
