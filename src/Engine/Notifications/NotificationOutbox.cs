using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Notifications;

/// <summary>
/// Turns a notification into one pending delivery per subscription that wants it, stored in the outbox together
/// with the notification in one write. A notification id seen before is ignored, so publishing is idempotent.
/// Called inside a billing transaction (invoice finalized, voided or held), the write joins it when the store
/// lives in the billing file (<see cref="LiteDbNotificationStore(Storage.LiteDbBillingStore)"/>).
/// </summary>
public sealed class NotificationOutbox(INotificationStore store, TimeProvider time) : INotificationPublisher
{
    public void Publish(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var now = time.GetUtcNow();
        var body = Envelope(notification);
        var deliveries = store.ListSubscriptions(notification.Tenant)
            .Where(s => s.Wants(notification))
            .Select(s => new WebhookDelivery(notification.Tenant, DeliveryId(notification.Tenant, s.Id, notification.Id), s.Id, notification.Id,
                notification.Type, s.Url, body, DeliveryStatus.Pending, now, now, []))
            .ToList();
        store.AddNotification(notification, deliveries);
    }

    public NotificationLevels Levels(string tenant) => NotificationLevels.Of(store.ListSubscriptions(tenant));

    public bool HasSubscribers(string tenant) => store.ListSubscriptions(tenant).Count > 0;

    /// <summary>The stable id every attempt of one notification to one subscription carries.</summary>
    public static string DeliveryId(string tenant, string subscriptionId, string notificationId) =>
        DeterministicId.For("dlv", tenant, subscriptionId, notificationId);

    /// <summary>The request body: <c>{"id","type","tenant","customer","occurredAt","data"}</c>.</summary>
    public static string Envelope(Notification n)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", n.Id);
            json.WriteString("type", n.Type);
            json.WriteString("tenant", n.Tenant);
            if (n.Customer is null) json.WriteNull("customer");
            else json.WriteString("customer", n.Customer);
            json.WriteString("occurredAt", UtcTimestamp.Format(n.OccurredAt));
            json.WritePropertyName("data");
            json.WriteRawValue(n.DataJson);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
