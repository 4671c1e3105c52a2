using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Notifications;

namespace RulesBilling.Host.Api.Features.Entitlements;

/// <summary>
/// The background loop of <c>serve</c>: raises time-driven notifications (validation windows closing, resets) for
/// every tenant with a subscription — loading its events on the first pass, so nothing waits for a query — then sends
/// due webhook deliveries; once per <see cref="Interval"/>. Invoice notifications are not polled: they are raised
/// when the invoice is finalized, voided, held or paid. A failing round is logged and the next round tries again.
/// </summary>
internal sealed class WebhookWorker(EntitlementView view, INotificationStore store, WebhookDispatcher dispatcher, ILogger<WebhookWorker> logger)
    : BackgroundService
{
    public const string HttpClientName = "webhooks";

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                view.Refresh(store.SubscribedTenants());
                if (view.LastPublishError is { } error) logger.LogWarning("Publishing a notification failed: {Error}", error);
                while (await dispatcher.DeliverDueAsync(100, stoppingToken) == 100)
                {
                    // A full batch: more may be due right away.
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Webhook round failed; retrying in {Interval}", Interval);
            }
        }
    }
}
