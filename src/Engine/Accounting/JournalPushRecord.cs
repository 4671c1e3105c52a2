namespace RulesBilling.Engine.Accounting;

public enum JournalPushStatus
{
    /// <summary>Not acknowledged yet; the next push sends it under its stored request id.</summary>
    Pending,
    Done,
    /// <summary>Transient failures outlasted the retries; the next push tries again (same request id).</summary>
    DeadLetter,
    /// <summary>QuickBooks refused it (validation, authentication): a person must act; pushes skip it until requeued.</summary>
    NeedsHuman,
}

/// <summary>
/// The outbox checkpoint of one journal entry at the tenant's QuickBooks company: written with its request id before
/// the first attempt and never given a new one, so a retry or a restarted push is answered with the entry QuickBooks
/// already created (its requestid idempotency) instead of a second one.
/// </summary>
public sealed record JournalPushRecord(
    string Tenant, string EntryId, string RequestId, JournalPushStatus Status, int Attempts, string? RemoteId, string? LastError, DateTimeOffset UpdatedAt);
