namespace RulesBilling.Engine.Notifications;

/// <summary>
/// A tenant's endpoint and the event types it receives. <see cref="Secret"/> signs every delivery (HMAC-SHA256).
/// <see cref="ThresholdPercents"/> selects the entitlement.threshold levels it wants (empty: all levels).
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
    public bool Wants(Notification notification) =>
        EventTypes.Contains(notification.Type, StringComparer.Ordinal)
        && (notification.ThresholdPercent is not { } percent || ThresholdPercents.Count == 0 || ThresholdPercents.Contains(percent));
}
