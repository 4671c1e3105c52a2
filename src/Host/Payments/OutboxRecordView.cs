using RulesBilling.Engine.Payments;

namespace RulesBilling.Host.Payments;

/// <summary>
/// One outbox record as the API shows it: what is being sent where, how far it got and why it stopped. The stored
/// idempotency keys are left out: they are ours, but nobody outside needs them.
/// </summary>
internal sealed record OutboxRecordView(
    string Id, string InvoiceId, int Revision, SyncAction Action, string Provider, SyncStatus Status, string Step, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, string? LastError, string? ProviderCustomerId, string? ProviderInvoiceId)
{
    public static OutboxRecordView From(SyncRecord r) => new(
        r.Id, r.InvoiceId, r.Revision, r.Action, ProviderNames.Of(r.Provider), r.Status, r.Step, r.Attempts,
        r.CreatedAt, r.NextAttemptAt, r.LastError, r.ProviderCustomerId, r.ProviderInvoiceId);
}
