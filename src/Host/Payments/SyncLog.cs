using RulesBilling.Engine.Payments;

namespace RulesBilling.Host.Payments;

/// <summary>One log event per outbox record a pass moved. Errors are the providers' own messages, which never carry our keys.</summary>
internal static class SyncLog
{
    public static void Write(ILogger log, SyncRecord record)
    {
        if (record.Status is SyncStatus.Done or SyncStatus.Cancelled)
        {
            log.LogInformation("Payment sync {Record}: {Status} at {Provider} (provider invoice {ProviderInvoice})",
                record.Id, record.Status.ToString(), ProviderNames.Of(record.Provider), record.ProviderInvoiceId);
        }
        else if (record.Status != SyncStatus.Pending)
        {
            log.LogWarning("Payment sync {Record} stopped: {Status} at step {Step} after {Attempts} attempts: {Error}",
                record.Id, record.Status.ToString(), record.Step, record.Attempts, record.LastError);
        }
    }
}
