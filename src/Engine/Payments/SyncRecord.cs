namespace RulesBilling.Engine.Payments;

/// <summary>What an outbox record asks the provider to do with an invoice.</summary>
public enum SyncAction { Push, Void }

public enum SyncStatus
{
    /// <summary>Work remains; the worker picks it up at or after NextAttemptAt.</summary>
    Pending,
    Done,
    /// <summary>Transient failures outlasted the retries; <see cref="SyncWorker.Requeue"/> puts it back.</summary>
    DeadLetter,
    /// <summary>The provider refused the request (validation, auth, idempotency_error, lossy amount): a human must act.</summary>
    NeedsHuman,
    /// <summary>The provider's total differs from ours; the provider invoice was left as a draft.</summary>
    Mismatch,
    /// <summary>A push superseded by a void before it reached the provider.</summary>
    Cancelled,
}

/// <summary>
/// One outbox row: a finalized (or voided) invoice to be sent to the customer's provider. Written in the same store
/// transaction as the invoice, then advanced by the worker with a checkpoint after every provider call. Idempotency
/// keys are stored here before their first use and never regenerated (only re-issued after a reconciling look-up).
/// </summary>
public sealed record SyncRecord(
    string Tenant,
    string InvoiceId,
    int Revision,
    SyncAction Action,
    PaymentProvider Provider,
    SyncStatus Status,
    string Step,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    string? ProviderCustomerId,
    string? ProviderInvoiceId,
    IReadOnlyList<string> SentLines,
    IReadOnlyDictionary<string, string> Keys)
{
    /// <summary>Unique per (tenant, invoice, revision, action).</summary>
    public string Id => SyncIds.Record(Tenant, InvoiceId, Revision, Action);

    public static SyncRecord New(string tenant, string invoiceId, int revision, SyncAction action, PaymentProvider provider, DateTimeOffset now) =>
        new(tenant, invoiceId, revision, action, provider, SyncStatus.Pending, SyncSteps.First, 0, now, now, null, null, null, [],
            new Dictionary<string, string>(StringComparer.Ordinal));
}
