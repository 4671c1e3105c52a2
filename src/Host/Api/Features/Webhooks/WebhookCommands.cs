using System.Security.Cryptography;
using Mediator;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Notifications;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Webhooks;

/// <summary>
/// Subscribes an http(s) endpoint to event types; the answer carries the signing secret (shown only here).
/// <see cref="Thresholds"/> are its entitlement.threshold levels (empty: 50, 80, 100) and
/// <see cref="CreditsLowPercent"/> its credits.low level (null: 20), each a percentage from 1 to 100.
/// </summary>
internal sealed record CreateWebhook(Caller Caller, string Url, IReadOnlyList<string> Events, IReadOnlyList<int> Thresholds, int? CreditsLowPercent)
    : ICommand<WebhookView>, IValidatable, IAudited
{
    public string AuditAction => $"webhooks.create {Url}";

    public IEnumerable<string> Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            yield return $"url must be an absolute http or https URL, not '{Url}'.";
        if (Events.Count == 0) yield return $"events must list at least one of: {string.Join(", ", NotificationTypes.All)}.";
        foreach (var type in Events.Where(t => !NotificationTypes.All.Contains(t, StringComparer.Ordinal)))
            yield return $"'{type}' is not an event type; use one of: {string.Join(", ", NotificationTypes.All)}.";
        foreach (var percent in Thresholds.Where(p => p is < NotificationLevels.MinPercent or > NotificationLevels.MaxPercent))
            yield return $"threshold {percent} must be a percentage from {NotificationLevels.MinPercent} to {NotificationLevels.MaxPercent}.";
        if (CreditsLowPercent is { } low and (< NotificationLevels.MinPercent or > NotificationLevels.MaxPercent))
            yield return $"creditsLowPercent {low} must be a percentage from {NotificationLevels.MinPercent} to {NotificationLevels.MaxPercent}.";
    }
}

internal sealed record DeleteWebhook(Caller Caller, string Id) : ICommand<bool>, IAudited
{
    public string AuditAction => $"webhooks.delete {Id}";
}

internal sealed record ListWebhooks(Caller Caller) : IQuery<IReadOnlyList<WebhookView>>, IApiMessage;

/// <summary>Every delivery of the tenant with its attempts, optionally only those with one status.</summary>
internal sealed record ListDeliveries(Caller Caller, string? Status) : IQuery<IReadOnlyList<DeliveryView>>, IApiMessage, IValidatable
{
    public IEnumerable<string> Validate()
    {
        if (Status is not (null or "pending" or "delivered" or "failed")) yield return "status must be pending, delivered or failed.";
    }
}

/// <summary>
/// A subscription with its levels in force (the defaults filled in); <see cref="Secret"/> is set only in the answer
/// to its creation.
/// </summary>
internal sealed record WebhookView(
    string Id, string Url, IReadOnlyList<string> Events, IReadOnlyList<int> Thresholds, int CreditsLowPercent, DateTimeOffset CreatedAt, string? Secret)
{
    public static WebhookView From(WebhookSubscription s, bool withSecret) =>
        new(s.Id, s.Url, s.EventTypes, s.EffectiveThresholdPercents, s.EffectiveCreditsLowPercent, s.CreatedAt, withSecret ? s.Secret : null);
}

internal sealed record DeliveryView(
    string Id, string Webhook, string Notification, string Type, string Url, DeliveryStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, IReadOnlyList<DeliveryAttempt> Attempts)
{
    public static DeliveryView From(WebhookDelivery d) => new(d.Id, d.SubscriptionId, d.NotificationId, d.Type, d.Url, d.Status, d.CreatedAt,
        d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.Attempts);
}

internal sealed class WebhookHandlers(INotificationStore store, WebhookEndpointGuard guard, TimeProvider clock)
    : ICommandHandler<CreateWebhook, WebhookView>,
      ICommandHandler<DeleteWebhook, bool>,
      IQueryHandler<ListWebhooks, IReadOnlyList<WebhookView>>,
      IQueryHandler<ListDeliveries, IReadOnlyList<DeliveryView>>
{
    public async ValueTask<WebhookView> Handle(CreateWebhook command, CancellationToken cancellationToken)
    {
        // Checked again on every delivery (the name may resolve elsewhere later); refusing here tells the tenant at once.
        if (await guard.CheckAsync(new Uri(command.Url), cancellationToken) is { } refusal)
            throw ApiProblemException.Unprocessable($"url '{command.Url}' is refused: {refusal}");
        var tenant = command.Caller.Tenant;
        var now = clock.GetUtcNow();
        var secret = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var id = DeterministicId.For("wh", tenant, command.Url, UtcTimestamp.Format(now), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        var subscription = new WebhookSubscription(tenant, id, command.Url,
            command.Events.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            secret, command.Thresholds.Distinct().Order().ToList(), now) { CreditsLowPercent = command.CreditsLowPercent };
        store.SaveSubscription(subscription);
        return WebhookView.From(subscription, withSecret: true);
    }

    public ValueTask<bool> Handle(DeleteWebhook command, CancellationToken cancellationToken) =>
        store.DeleteSubscription(command.Caller.Tenant, command.Id)
            ? ValueTask.FromResult(true)
            : throw ApiProblemException.NotFound($"Webhook '{command.Id}' does not exist.");

    public ValueTask<IReadOnlyList<WebhookView>> Handle(ListWebhooks query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<WebhookView>>(store.ListSubscriptions(query.Caller.Tenant).Select(s => WebhookView.From(s, withSecret: false)).ToList());

    public ValueTask<IReadOnlyList<DeliveryView>> Handle(ListDeliveries query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<DeliveryView>>(store.ListDeliveries(query.Caller.Tenant)
            .Where(d => query.Status is null || string.Equals(d.Status.ToString(), query.Status, StringComparison.OrdinalIgnoreCase))
            .Select(DeliveryView.From)
            .ToList());
}
