using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Notifications;

namespace RulesBilling.Host.Api.Features.Entitlements;

/// <summary>
/// The background loop of <c>serve</c>: raises time-driven notifications (validation windows closing, resets,
/// finalized invoices, triggered guards), then sends due webhook deliveries; once per <see cref="Interval"/>.
/// A failing round is logged and the next round tries again.
/// </summary>
internal sealed class WebhookWorker(EntitlementView view, WebhookDispatcher dispatcher, ILogger<WebhookWorker> logger) : BackgroundService
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
                view.Refresh();
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
