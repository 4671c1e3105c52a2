using System.Globalization;
using LiteDB;
using RulesBilling.Engine.Notifications;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// <see cref="INotificationStore"/> on LiteDB, always in the billing store's file (one LiteDatabase per process):
/// its writes take that store's writer lock and join a transaction the thread already runs, so a notification raised
/// while an invoice is finalized or voided commits with the invoice or not at all. Documents are mapped by hand.
/// </summary>
public sealed class LiteDbNotificationStore : INotificationStore
{
    private readonly LiteDbBillingStore _billing;
    private readonly ILiteCollection<BsonDocument> _subscriptions;
    private readonly ILiteCollection<BsonDocument> _notifications;
    private readonly ILiteCollection<BsonDocument> _deliveries;

    /// <summary>In the billing store's file (collections <c>ntf_*</c>), joining its transactions.</summary>
    public LiteDbNotificationStore(LiteDbBillingStore billing)
    {
        ArgumentNullException.ThrowIfNull(billing);
        _billing = billing;
        _subscriptions = billing.ModuleCollection("ntf_subscriptions");
        _notifications = billing.ModuleCollection("ntf_notifications");
        _deliveries = billing.ModuleCollection("ntf_deliveries");
        billing.WriteModule(() =>
        {
            EnsureIndexes();
            return true;
        });
    }

    private void EnsureIndexes()
    {
        _subscriptions.EnsureIndex("tenant");
        _deliveries.EnsureIndex("tenant");
        _deliveries.EnsureIndex("status");
    }

    public void SaveSubscription(WebhookSubscription s) => Write(() => _subscriptions.Upsert(new BsonDocument
    {
        ["_id"] = StoreKey.Compose(s.Tenant, s.Id),
        ["tenant"] = s.Tenant,
        ["id"] = s.Id,
        ["url"] = s.Url,
        ["types"] = new BsonArray(s.EventTypes.Select(t => new BsonValue(t))),
        ["secret"] = s.Secret,
        ["thresholds"] = new BsonArray(s.ThresholdPercents.Select(p => new BsonValue(p))),
        ["created"] = s.CreatedAt.UtcTicks,
        ["creditsLow"] = s.CreditsLowPercent is { } low ? new BsonValue(low) : BsonValue.Null,
    }));

    public IReadOnlyList<WebhookSubscription> ListSubscriptions(string tenant) => _subscriptions.Find(Query.EQ("tenant", tenant))
        .Select(d => new WebhookSubscription(
            d["tenant"].AsString, d["id"].AsString, d["url"].AsString,
            d["types"].AsArray.Select(t => t.AsString).ToList(), d["secret"].AsString,
            d["thresholds"].AsArray.Select(p => p.AsInt32).ToList(), Instant(d["created"]))
        {
            CreditsLowPercent = d["creditsLow"].IsNumber ? d["creditsLow"].AsInt32 : null,
        })
        .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal)
        .ToList();

    public IReadOnlyList<string> SubscribedTenants() => _subscriptions.FindAll()
        .Select(d => d["tenant"].AsString)
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    public bool DeleteSubscription(string tenant, string id) => Write(() => _subscriptions.Delete(StoreKey.Compose(tenant, id)));

    public bool AddNotification(Notification notification, IReadOnlyList<WebhookDelivery> deliveries) => Write(() =>
    {
        var key = StoreKey.Compose(notification.Tenant, notification.Id);
        if (_notifications.FindById(key) is not null) return false;
        _notifications.Insert(new BsonDocument
        {
            ["_id"] = key,
            ["tenant"] = notification.Tenant,
            ["type"] = notification.Type,
            ["at"] = notification.OccurredAt.UtcTicks,
        });
        foreach (var delivery in deliveries) _deliveries.Insert(ToDocument(delivery));
        return true;
    });

    public IReadOnlyList<WebhookDelivery> DueDeliveries(DateTimeOffset now, int limit) => _deliveries
        .Find(Query.EQ("status", nameof(DeliveryStatus.Pending)))
        .Select(FromDocument)
        .Where(d => d.NextAttemptAt <= now)
        .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal)
        .Take(limit)
        .ToList();

    public void UpdateDelivery(WebhookDelivery delivery) => Write(() => _deliveries.Upsert(ToDocument(delivery)));

    public IReadOnlyList<WebhookDelivery> ListDeliveries(string tenant) => _deliveries.Find(Query.EQ("tenant", tenant))
        .Select(FromDocument)
        .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal)
        .ToList();

    /// <summary>Nothing to close: the file belongs to the billing store.</summary>
    public void Dispose()
    {
    }

    /// <summary>One transaction per write: the billing store's, joined when one already runs on this thread.</summary>
    private T Write<T>(Func<T> work) => _billing.WriteModule(work);

    private static BsonDocument ToDocument(WebhookDelivery d) => new()
    {
        ["_id"] = StoreKey.Compose(d.Tenant, d.Id),
        ["tenant"] = d.Tenant,
        ["id"] = d.Id,
        ["subscription"] = d.SubscriptionId,
        ["notification"] = d.NotificationId,
        ["type"] = d.Type,
        ["url"] = d.Url,
        ["body"] = d.Body,
        ["status"] = d.Status.ToString(),
        ["created"] = d.CreatedAt.UtcTicks,
        ["next"] = d.NextAttemptAt.UtcTicks,
        ["attempts"] = new BsonArray(d.Attempts.Select(a => (BsonValue)new BsonDocument
        {
            ["n"] = a.Number,
            ["at"] = a.At.UtcTicks,
            ["code"] = a.StatusCode is { } code ? new BsonValue(code) : BsonValue.Null,
            ["error"] = a.Error is { } error ? new BsonValue(error) : BsonValue.Null,
        })),
    };

    private static WebhookDelivery FromDocument(BsonDocument d) => new(
        d["tenant"].AsString, d["id"].AsString, d["subscription"].AsString, d["notification"].AsString, d["type"].AsString,
        d["url"].AsString, d["body"].AsString, Enum.Parse<DeliveryStatus>(d["status"].AsString), Instant(d["created"]), Instant(d["next"]),
        d["attempts"].AsArray.Select(a => new DeliveryAttempt(
            a["n"].AsInt32, Instant(a["at"]), a["code"].IsNull ? null : a["code"].AsInt32, a["error"].IsNull ? null : a["error"].AsString)).ToList());

    private static DateTimeOffset Instant(BsonValue ticks) => new(ticks.AsInt64, TimeSpan.Zero);
}
