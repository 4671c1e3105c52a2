namespace RulesBilling.Engine.Notifications;

public enum DeliveryStatus { Pending, Delivered, Failed }

/// <summary>
/// One notification to one subscription. <see cref="Id"/> is derived from (subscription, notification) and sent
/// with every attempt, so a receiver that sees it twice knows it is the same delivery. <see cref="Body"/> is fixed
/// when the delivery is created; each attempt signs it with the attempt's timestamp.
/// </summary>
public sealed record WebhookDelivery(
    string Tenant,
    string Id,
    string SubscriptionId,
    string NotificationId,
    string Type,
    string Url,
    string Body,
    DeliveryStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    IReadOnlyList<DeliveryAttempt> Attempts);

/// <summary>One HTTP attempt: the status code received, or the error (timeout, refused connection) when none was.</summary>
public sealed record DeliveryAttempt(int Number, DateTimeOffset At, int? StatusCode, string? Error);
