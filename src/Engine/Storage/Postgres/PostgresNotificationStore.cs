using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using RulesBilling.Engine.Notifications;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>
/// <see cref="INotificationStore"/> in the billing store's PostgreSQL schema (0005_notifications.sql). Several nodes
/// run the delivery worker against it: <see cref="DueDeliveries"/> leases what it returns (SELECT … FOR UPDATE SKIP
/// LOCKED, then pushes next_attempt_ticks past the lease), so another node does not see those deliveries as due
/// while this one sends them, and a node that dies mid-send leaves them due again when the lease has passed.
/// The billing store owns the connections; disposing this store does nothing.
/// </summary>
public sealed class PostgresNotificationStore(PostgresBillingStore store, TimeSpan deliveryLease) : INotificationStore
{
    /// <summary>Longer than one delivery attempt (its timeout) with a wide margin.</summary>
    public static readonly TimeSpan DefaultDeliveryLease = TimeSpan.FromMinutes(2);

    public PostgresNotificationStore(PostgresBillingStore store) : this(store, DefaultDeliveryLease)
    {
    }

    public void SaveSubscription(WebhookSubscription s)
    {
        ArgumentNullException.ThrowIfNull(s);
        store.Write(scope =>
        {
            using var command = scope.Command(
                """
                INSERT INTO webhook_subscriptions (tenant, id, url, event_types, secret, thresholds, credits_low_percent, created_at_ticks)
                VALUES (@tenant, @id, @url, @types, @secret, @thresholds, @low, @created)
                ON CONFLICT (tenant, id) DO UPDATE SET url = EXCLUDED.url, event_types = EXCLUDED.event_types, secret = EXCLUDED.secret,
                    thresholds = EXCLUDED.thresholds, credits_low_percent = EXCLUDED.credits_low_percent, created_at_ticks = EXCLUDED.created_at_ticks
                """,
                ("tenant", s.Tenant), ("id", s.Id), ("url", s.Url), ("secret", s.Secret), ("created", s.CreatedAt.UtcTicks));
            command.Parameters.Add(new NpgsqlParameter("low", NpgsqlDbType.Integer) { Value = s.CreditsLowPercent is { } low ? low : DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = s.EventTypes.ToArray() });
            command.Parameters.Add(new NpgsqlParameter("thresholds", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = s.ThresholdPercents.ToArray() });
            command.ExecuteNonQuery();
        });
    }

    public IReadOnlyList<WebhookSubscription> ListSubscriptions(string tenant) => store.Read(scope =>
    {
        using var command = scope.Command(
            "SELECT tenant, id, url, event_types, secret, thresholds, created_at_ticks, credits_low_percent FROM webhook_subscriptions WHERE tenant = @tenant",
            ("tenant", tenant));
        return PostgresBillingStore.ReadAll(command, r => new WebhookSubscription(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<string[]>(3), r.GetString(4), r.GetFieldValue<int[]>(5),
                PostgresBillingStore.Instant(r.GetInt64(6)))
            {
                CreditsLowPercent = r.IsDBNull(7) ? null : r.GetInt32(7),
            })
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
    });

    public IReadOnlyList<string> SubscribedTenants() => store.Read(scope =>
    {
        using var command = scope.Command("SELECT DISTINCT tenant FROM webhook_subscriptions");
        return PostgresBillingStore.ReadAll(command, r => r.GetString(0)).Order(StringComparer.Ordinal).ToList();
    });

    public bool DeleteSubscription(string tenant, string id) => store.Write(scope =>
    {
        using var command = scope.Command("DELETE FROM webhook_subscriptions WHERE tenant = @tenant AND id = @id", ("tenant", tenant), ("id", id));
        return command.ExecuteNonQuery() == 1;
    });

    public bool AddNotification(Notification notification, IReadOnlyList<WebhookDelivery> deliveries)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(deliveries);
        return store.Write(scope =>
        {
            // Two nodes noticing the same thing insert it once: the second insert finds the row and adds nothing.
            using var command = scope.Command(
                "INSERT INTO notifications (tenant, id, type, occurred_at_ticks) VALUES (@tenant, @id, @type, @at) ON CONFLICT DO NOTHING",
                ("tenant", notification.Tenant), ("id", notification.Id), ("type", notification.Type), ("at", notification.OccurredAt.UtcTicks));
            if (command.ExecuteNonQuery() == 0) return false;
            foreach (var delivery in deliveries) Upsert(scope, delivery);
            return true;
        });
    }

    public IReadOnlyList<WebhookDelivery> DueDeliveries(DateTimeOffset now, int limit) => store.Write(scope =>
    {
        // The rows come back as they were (their real next attempt); the stored copy is leased until now + lease.
        using var command = scope.Command(
            """
            WITH due AS (
                SELECT tenant, id, next_attempt_ticks FROM webhook_deliveries
                WHERE status = 'Pending' AND next_attempt_ticks <= @now
                ORDER BY next_attempt_ticks, created_at_ticks, id
                LIMIT @limit
                FOR UPDATE SKIP LOCKED),
            leased AS (
                UPDATE webhook_deliveries d SET next_attempt_ticks = @leased_until
                FROM due WHERE d.tenant = due.tenant AND d.id = due.id
                RETURNING d.tenant, d.id, d.subscription_id, d.notification_id, d.type, d.url, d.body, d.status,
                          d.created_at_ticks, due.next_attempt_ticks, d.attempts)
            SELECT * FROM leased
            """,
            ("now", now.UtcTicks), ("limit", limit), ("leased_until", (now + deliveryLease).UtcTicks));
        return PostgresBillingStore.ReadAll(command, Read)
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
    });

    public void UpdateDelivery(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        store.Write(scope => Upsert(scope, delivery));
    }

    public IReadOnlyList<WebhookDelivery> ListDeliveries(string tenant) => store.Read(scope =>
    {
        using var command = scope.Command(
            """
            SELECT tenant, id, subscription_id, notification_id, type, url, body, status, created_at_ticks, next_attempt_ticks, attempts
            FROM webhook_deliveries WHERE tenant = @tenant
            """,
            ("tenant", tenant));
        return PostgresBillingStore.ReadAll(command, Read).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
    });

    /// <summary>The billing store owns the connections.</summary>
    public void Dispose()
    {
    }

    private static void Upsert(PostgresBillingStore.Scope scope, WebhookDelivery d)
    {
        using var command = scope.Command(
            """
            INSERT INTO webhook_deliveries (tenant, id, subscription_id, notification_id, type, url, body, status, created_at_ticks, next_attempt_ticks, attempts)
            VALUES (@tenant, @id, @subscription, @notification, @type, @url, @body, @status, @created, @next, @attempts)
            ON CONFLICT (tenant, id) DO UPDATE SET subscription_id = EXCLUDED.subscription_id, notification_id = EXCLUDED.notification_id,
                type = EXCLUDED.type, url = EXCLUDED.url, body = EXCLUDED.body, status = EXCLUDED.status,
                created_at_ticks = EXCLUDED.created_at_ticks, next_attempt_ticks = EXCLUDED.next_attempt_ticks, attempts = EXCLUDED.attempts
            """,
            ("tenant", d.Tenant), ("id", d.Id), ("subscription", d.SubscriptionId), ("notification", d.NotificationId), ("type", d.Type),
            ("url", d.Url), ("body", d.Body), ("status", d.Status.ToString()), ("created", d.CreatedAt.UtcTicks), ("next", d.NextAttemptAt.UtcTicks));
        var attempts = JsonSerializer.Serialize(d.Attempts.Select(a => new AttemptDocument(a.Number, a.At.UtcTicks, a.StatusCode, a.Error)).ToList());
        command.Parameters.Add(new NpgsqlParameter("attempts", NpgsqlDbType.Jsonb) { Value = attempts });
        command.ExecuteNonQuery();
    }

    private static WebhookDelivery Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
        Enum.Parse<DeliveryStatus>(r.GetString(7)), PostgresBillingStore.Instant(r.GetInt64(8)), PostgresBillingStore.Instant(r.GetInt64(9)),
        (JsonSerializer.Deserialize<List<AttemptDocument>>(r.GetString(10)) ?? [])
            .Select(a => new DeliveryAttempt(a.N, PostgresBillingStore.Instant(a.At), a.Code, a.Error)).ToList());

    private sealed record AttemptDocument(int N, long At, int? Code, string? Error);
}
