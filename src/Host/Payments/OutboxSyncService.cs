using RulesBilling.Engine.Payments;

namespace RulesBilling.Host.Payments;

/// <summary>
/// Drains the payments outbox in <c>serve</c>: one <see cref="SyncWorker"/> pass every sync interval, logging each
/// record it moved. Off when the interval is zero (then <c>rulesbilling sync</c> does the work). A failing pass is
/// logged and the next one runs: the worker resumes every record from its checkpoint.
/// </summary>
internal sealed class OutboxSyncService(SyncWorker worker, PaymentHostOptions options, TimeProvider time, ILogger<OutboxSyncService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.SyncInterval <= TimeSpan.Zero)
        {
            log.LogInformation("Payment sync is off (--sync-interval 0); run 'rulesbilling sync' to send invoices to providers");
            return;
        }
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await worker.RunOnceAsync(stoppingToken);
                foreach (var record in result.Processed) SyncLog.Write(log, record);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "Payment sync pass failed; retrying in {Interval}", options.SyncInterval);
            }
            try
            {
                await Task.Delay(options.SyncInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
