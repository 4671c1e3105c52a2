using RulesBilling.Engine.Claims;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Payments;

/// <summary>What one pass of the worker did, by final status of the records it touched.</summary>
public sealed record SyncRunResult(IReadOnlyList<SyncRecord> Processed)
{
    public int Count(SyncStatus status) => Processed.Count(r => r.Status == status);
}

/// <summary>
/// Pushes due outbox records to their provider, one at a time, checkpointing after every provider call. Transient
/// failures are retried (<see cref="RetryOptions"/>) and then dead-lettered; refusals stop for a human; a total
/// mismatch stops with an alert. Safe to kill at any point: a new worker on the same store resumes each record from
/// its last checkpoint without creating anything twice. Several workers (one per node of a shared store) may run
/// when they are given the store's <see cref="IWorkClaims"/>: each record is then claimed before it is worked on, so
/// one worker at a time talks to the provider about it.
/// </summary>
public sealed class SyncWorker
{
    private readonly IInvoiceStore _billing;
    private readonly IPaymentStore _payments;
    private readonly TimeProvider _time;
    private readonly RetryOptions _retry;
    private readonly IReadOnlyDictionary<PaymentProvider, IProviderSync> _providers;
    private readonly (IWorkClaims Claims, string Owner)? _claims;
    private readonly DunningSchedule _dunning;

    /// <summary>Claim kind of an outbox record being synced; the key is the record id.</summary>
    public const string ClaimKind = "sync";

    /// <summary>How long a record stays claimed: far beyond a pass over one record (each request is bounded by its timeout and retries).</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    /// <summary>How long a deferred record (a credit note waiting for its original, or for a payment) waits before its next try.</summary>
    public static readonly TimeSpan DeferDelay = TimeSpan.FromMinutes(15);

    /// <param name="http">Shared client for both providers; its Timeout bounds each request.</param>
    /// <param name="claims">The shared store's claims and this node's id, when several nodes run a worker.</param>
    /// <param name="dunning">Gives the payment term the provider invoice is created with (default 30 days).</param>
    public SyncWorker(
        IInvoiceStore billing, IPaymentStore payments, HttpClient http, TimeProvider time, RetryOptions? retry = null,
        (IWorkClaims Claims, string Owner)? claims = null, DunningSchedule? dunning = null)
    {
        ArgumentNullException.ThrowIfNull(billing);
        ArgumentNullException.ThrowIfNull(payments);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        _billing = billing;
        _payments = payments;
        _time = time;
        _retry = retry ?? RetryOptions.Default;
        _providers = Providers(http);
        _claims = claims;
        _dunning = dunning ?? DunningSchedule.Default;
    }

    internal static IReadOnlyDictionary<PaymentProvider, IProviderSync> Providers(HttpClient http) => new Dictionary<PaymentProvider, IProviderSync>
    {
        [PaymentProvider.Stripe] = new StripeInvoiceSync(http),
        [PaymentProvider.Razorpay] = new RazorpayInvoiceSync(http),
    };

    /// <summary>Processes every pending record that is due now, oldest first.</summary>
    public async Task<SyncRunResult> RunOnceAsync(CancellationToken cancellation = default)
    {
        var now = _time.GetUtcNow();
        var processed = new List<SyncRecord>();
        foreach (var due in _payments.ListSync().Where(r => r.Status == SyncStatus.Pending && r.NextAttemptAt <= now))
        {
            cancellation.ThrowIfCancellationRequested();
            if (_claims is { } held && !held.Claims.TryClaim(ClaimKind, due.Id, held.Owner, ClaimLease)) continue;
            try
            {
                // Re-read (after the claim): processing a void may have cancelled a push listed above, and another
                // node may have finished the record since it was listed.
                if (_payments.FindSync(due.Id) is not { Status: SyncStatus.Pending } record) continue;
                if (record.Action == SyncAction.Push && IsVoided(record))
                {
                    processed.Add(Stop(record, SyncStatus.Cancelled, "superseded by a void"));
                    continue;
                }
                processed.Add(await ProcessAsync(record, cancellation));
            }
            finally
            {
                if (_claims is { } release) release.Claims.Release(ClaimKind, due.Id, release.Owner);
            }
        }
        return new SyncRunResult(processed);
    }

    /// <summary>Puts a dead-lettered (or, once fixed, a stopped) record back in the queue; it resumes at its checkpoint.</summary>
    public SyncRecord Requeue(string recordId)
    {
        var record = _payments.FindSync(recordId) ?? throw new PaymentException($"no sync record '{recordId}'", FailureKind.Permanent);
        if (record.Status is SyncStatus.Done or SyncStatus.Cancelled or SyncStatus.Pending) return record;
        var requeued = record with { Status = SyncStatus.Pending, NextAttemptAt = _time.GetUtcNow() };
        _payments.SaveSync(requeued);
        return requeued;
    }

    private async Task<SyncRecord> ProcessAsync(SyncRecord record, CancellationToken cancellation)
    {
        if (_billing.FindInvoice(record.Tenant, record.InvoiceId) is not { } invoice) return Stop(record, SyncStatus.NeedsHuman, "the invoice no longer exists");
        if (_payments.FindAccount(record.Tenant, record.Provider) is not { } account)
        {
            return Stop(record, SyncStatus.NeedsHuman, $"tenant '{record.Tenant}' has no {record.Provider} credentials configured");
        }
        if (record.Action == SyncAction.Void) record = TakeOverPush(record);

        SyncContext? context = null;
        var runner = new StepRunner(_retry, e => context!.Checkpoint(r => r with { Attempts = r.Attempts + 1, LastError = FailureClassifier.Describe(e) }));
        context = new SyncContext(record with { Attempts = record.Attempts + 1 }, invoice, account, _payments, runner) { DaysUntilDue = _dunning.DaysUntilDue };
        context.Checkpoint(r => r);
        var provider = _providers[record.Provider];
        try
        {
            if (record.Action == SyncAction.Push) await provider.PushAsync(context, cancellation);
            else await provider.VoidAsync(context, cancellation);
            RecordState(context.Record, record.Action);
            return context.Record;
        }
        catch (PaymentException e) when (e.Kind == FailureKind.Deferred)
        {
            var waiting = context.Record with { Status = SyncStatus.Pending, LastError = e.Message, NextAttemptAt = _time.GetUtcNow() + DeferDelay };
            _payments.SaveSync(waiting);
            return waiting;
        }
        catch (Exception e) when (FailureClassifier.Classify(e, cancellation) is { } kind)
        {
            var status = kind switch
            {
                FailureKind.Transient => SyncStatus.DeadLetter,
                FailureKind.Mismatch => SyncStatus.Mismatch,
                _ => SyncStatus.NeedsHuman,
            };
            return Stop(context.Record, status, FailureClassifier.Describe(e));
        }
    }

    private bool IsVoided(SyncRecord push) =>
        _payments.FindSync(SyncIds.Record(push.Tenant, push.InvoiceId, push.Revision, SyncAction.Void)) is not null;

    /// <summary>A void supersedes the push of the same invoice: an unfinished push stops, and its provider invoice is the one to void.</summary>
    private SyncRecord TakeOverPush(SyncRecord voidRecord)
    {
        var push = _payments.FindSync(SyncIds.Record(voidRecord.Tenant, voidRecord.InvoiceId, voidRecord.Revision, SyncAction.Push));
        if (push is null) return voidRecord;
        if (push.Status is SyncStatus.Pending or SyncStatus.DeadLetter or SyncStatus.NeedsHuman or SyncStatus.Mismatch)
        {
            _payments.SaveSync(push with { Status = SyncStatus.Cancelled, LastError = "superseded by a void" });
        }
        return voidRecord with { ProviderInvoiceId = voidRecord.ProviderInvoiceId ?? push.ProviderInvoiceId };
    }

    private void RecordState(SyncRecord record, SyncAction action)
    {
        if (record.Status != SyncStatus.Done || record.ProviderInvoiceId is not { } remoteId) return;
        var current = _payments.FindPaymentState(record.Tenant, record.InvoiceId);
        // A webhook may already have reported a later state (paid) before the push finished.
        if (action == SyncAction.Push && current is not null) return;
        _payments.SavePaymentState(new InvoicePaymentState(record.Tenant, record.InvoiceId, record.Provider, remoteId,
            action == SyncAction.Push ? PaymentState.Sent : PaymentState.Voided, _time.GetUtcNow(), current?.LastEventId));
    }

    private SyncRecord Stop(SyncRecord record, SyncStatus status, string error)
    {
        var stopped = record with { Status = status, LastError = error };
        _payments.SaveSync(stopped);
        return stopped;
    }
}
