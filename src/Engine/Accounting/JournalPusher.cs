using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Accounting;

/// <summary>What one push did: the records it touched, in entry order.</summary>
public sealed record JournalPushResult(IReadOnlyList<JournalPushRecord> Records)
{
    public int Count(JournalPushStatus status) => Records.Count(r => r.Status == status);
}

/// <summary>
/// Pushes a tenant's journal entries to its QuickBooks Online company, each exactly once, with the outbox's
/// machinery: a checkpoint per entry holding its request id is stored before the first attempt and after every call;
/// transient failures (429, 5xx, cut connections, timeouts) are retried with jittered backoff under the same request
/// id and then dead-lettered (tried again on the next push); refusals stop for a person. Entries are immutable (ids
/// derived from their documents), so the journal itself is the outbox: whatever has no Done checkpoint is due.
/// Safe to kill at any point: the next push resumes and QuickBooks answers a repeated request id with the entry it
/// already created.
/// </summary>
public sealed class JournalPusher(IJournalPushStore store, HttpClient http, TimeProvider time, RetryOptions? retry = null)
{
    private readonly QuickBooksClient _client = new(http);
    private readonly RetryOptions _retry = retry ?? RetryOptions.Default;

    /// <exception cref="PaymentException">The tenant has no QuickBooks company configured.</exception>
    public async Task<JournalPushResult> PushAsync(string tenant, IReadOnlyList<JournalEntry> entries, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var account = store.FindAccount(tenant)
            ?? throw new PaymentException($"tenant '{tenant}' has no QuickBooks company configured", FailureKind.Permanent);
        var touched = new List<JournalPushRecord>();
        foreach (var entry in entries.Where(e => e.Tenant == tenant))
        {
            cancellation.ThrowIfCancellationRequested();
            var record = store.Find(tenant, entry.Id);
            if (record is { Status: JournalPushStatus.Done or JournalPushStatus.NeedsHuman }) continue;
            // QuickBooks request ids are at most 50 characters; the entry id (je_ + 32 hex) fits and never changes.
            record ??= new JournalPushRecord(tenant, entry.Id, entry.Id, JournalPushStatus.Pending, 0, null, null, time.GetUtcNow());
            record = record with { Status = JournalPushStatus.Pending, Attempts = record.Attempts + 1, UpdatedAt = time.GetUtcNow() };
            store.Save(record);
            var current = record;
            var runner = new StepRunner(_retry, e =>
            {
                current = current with { Attempts = current.Attempts + 1, LastError = FailureClassifier.Describe(e), UpdatedAt = time.GetUtcNow() };
                store.Save(current);
            });
            try
            {
                var body = QuickBooksJournal.Serialize(entry);
                var id = await runner.RunAsync(ct => _client.CreateJournalEntryAsync(account, body, current.RequestId, ct), cancellation).ConfigureAwait(false);
                current = current with { Status = JournalPushStatus.Done, RemoteId = id, LastError = null, UpdatedAt = time.GetUtcNow() };
            }
            catch (Exception e) when (FailureClassifier.Classify(e, cancellation) is { } kind)
            {
                current = current with
                {
                    Status = kind == FailureKind.Transient ? JournalPushStatus.DeadLetter : JournalPushStatus.NeedsHuman,
                    LastError = FailureClassifier.Describe(e),
                    UpdatedAt = time.GetUtcNow(),
                };
            }
            store.Save(current);
            touched.Add(current);
        }
        return new JournalPushResult(touched);
    }

    /// <summary>Puts a stopped entry back so the next push sends it again under its request id.</summary>
    public JournalPushRecord? Requeue(string tenant, string entryId)
    {
        if (store.Find(tenant, entryId) is not { Status: JournalPushStatus.NeedsHuman or JournalPushStatus.DeadLetter } record) return store.Find(tenant, entryId);
        var requeued = record with { Status = JournalPushStatus.Pending, UpdatedAt = time.GetUtcNow() };
        store.Save(requeued);
        return requeued;
    }
}
