using RulesBilling.Engine.Payments;

namespace RulesBilling.Host.Payments;

/// <summary>
/// Applies stored webhook events to payment states in <c>serve</c>: woken by each accepted delivery, and on a sweep
/// interval for events stored before a restart. Runs whatever the sync interval is: payments must show even when
/// the outbox is drained by the CLI.
/// </summary>
internal sealed class WebhookApplyService(WebhookApplier applier, PaymentWakeUp wakeUp, PaymentHostOptions options, ILogger<WebhookApplyService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var applied = applier.ApplyPending();
                if (applied > 0) log.LogInformation("Applied {Count} webhook events", applied);
            }
            catch (Exception e)
            {
                log.LogError(e, "Applying webhook events failed; retrying in {Interval}", options.WebhookSweepInterval);
            }
            try
            {
                await wakeUp.WaitAsync(options.WebhookSweepInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
