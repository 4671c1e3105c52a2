namespace RulesBilling.Engine.Notifications;

/// <summary>
/// Webhook subscriptions, the notifications seen (for idempotence) and the delivery outbox. Every write is
/// durable before the method returns.
/// </summary>
public interface INotificationStore : IDisposable
{
    void SaveSubscription(WebhookSubscription subscription);
    /// <summary>Ordered by CreatedAt, then Id.</summary>
    IReadOnlyList<WebhookSubscription> ListSubscriptions(string tenant);
    /// <summary>Every tenant with at least one subscription, ordinal order.</summary>
    IReadOnlyList<string> SubscribedTenants();
    /// <summary>False when there was no such subscription.</summary>
    bool DeleteSubscription(string tenant, string id);

    /// <summary>
    /// Records the notification and adds its deliveries in one transaction (joining the billing transaction the
    /// thread runs, when the store shares its file); false (and nothing written) when the tenant already has a
    /// notification with that id.
    /// </summary>
    bool AddNotification(Notification notification, IReadOnlyList<WebhookDelivery> deliveries);

    /// <summary>Pending deliveries of every tenant whose next attempt is due at <paramref name="now"/>, oldest first.</summary>
    IReadOnlyList<WebhookDelivery> DueDeliveries(DateTimeOffset now, int limit);
    /// <summary>Replaces the delivery with the same (Tenant, Id).</summary>
    void UpdateDelivery(WebhookDelivery delivery);
    /// <summary>Ordered by CreatedAt, then Id.</summary>
    IReadOnlyList<WebhookDelivery> ListDeliveries(string tenant);
}
