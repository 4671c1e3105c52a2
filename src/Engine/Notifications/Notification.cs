namespace RulesBilling.Engine.Notifications;

/// <summary>
/// Something a tenant can subscribe to. <see cref="Id"/> is derived from what happened (never from when it was
/// noticed), so noticing it again — after a restart, or on the next refresh — yields the same id and the outbox
/// stores it once. <see cref="DataJson"/> is the event-specific payload (a JSON object).
/// </summary>
public sealed record Notification(string Tenant, string Id, string Type, string? Customer, DateTimeOffset OccurredAt, string DataJson)
{
    /// <summary>For entitlement.threshold: the percentage reached, so subscriptions can choose the levels they want.</summary>
    public int? ThresholdPercent { get; init; }

    /// <summary>For credits.low: the level crossed (percent of the live grants), delivered to subscriptions with that level.</summary>
    public int? CreditsLowPercent { get; init; }
}

/// <summary>Takes notifications in; implementations must be idempotent on (tenant, notification id).</summary>
public interface INotificationPublisher
{
    void Publish(Notification notification);

    /// <summary>The threshold and credits.low levels the tenant's subscriptions asked for (what must be raised).</summary>
    NotificationLevels Levels(string tenant);

    /// <summary>Whether the tenant has any webhook subscription; without one there is nothing to raise.</summary>
    bool HasSubscribers(string tenant);
}
