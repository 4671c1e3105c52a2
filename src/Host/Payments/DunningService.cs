using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Payments;

/// <summary>
/// Runs the dunning pass in <c>serve</c> every <see cref="PaymentHostOptions.DunningInterval"/> of the server's clock:
/// reminders that came due (<c>invoice.overdue</c>, <c>invoice.payment_failed</c> retries) go to the notifications
/// outbox, and from there to the tenant's webhooks through the existing delivery worker. On several nodes every
/// node runs it; a reminder's id is derived, so it is stored and delivered once.
/// </summary>
internal sealed class DunningService(
    IBillingStore billing, IPaymentStore payments, IServiceProvider services, PaymentHostOptions options, TimeProvider time, ILogger<DunningService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<NotificationOutbox>() is not { } outbox) return;
        var runner = new DunningRunner(billing, payments, outbox, time, options.Dunning);
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                runner.RunOnce();
            }
            catch (Exception e)
            {
                log.LogError(e, "Dunning pass failed; retrying in {Interval}", options.DunningInterval);
            }
            try
            {
                await Task.Delay(options.DunningInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
