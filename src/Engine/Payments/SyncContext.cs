using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// One outbox record being worked on: the invoice, the tenant's credentials, and the checkpoint that persists the
/// record after every provider call (so a restarted worker resumes from the last completed call).
/// </summary>
internal sealed class SyncContext(SyncRecord record, Invoice invoice, ProviderAccount account, IPaymentStore store, StepRunner runner)
{
    public SyncRecord Record { get; private set; } = record;
    public Invoice Invoice { get; } = invoice;
    public ProviderAccount Account { get; } = account;
    public IPaymentStore Store { get; } = store;
    public StepRunner Runner { get; } = runner;

    /// <summary>The invoice's payment term at the provider (Stripe <c>days_until_due</c>), from the dunning schedule.</summary>
    public int DaysUntilDue { get; init; } = DunningSchedule.Default.DaysUntilDue;

    public void Checkpoint(Func<SyncRecord, SyncRecord> change)
    {
        Record = change(Record);
        Store.SaveSync(Record);
    }

    /// <summary>The idempotency key of a step, stored in the record before its first use.</summary>
    public string Key(string step)
    {
        if (Record.Keys.TryGetValue(step, out var key)) return key;
        key = SyncIds.IdempotencyKey(Record.Tenant, Record.InvoiceId, Record.Revision, step);
        var stored = key;
        Checkpoint(r => r with { Keys = With(r.Keys, step, stored) });
        return key;
    }

    /// <summary>
    /// Issues a new key for a step whose stored result is a failure the provider would replay forever (Stripe keeps
    /// a 500 under its key). Only safe because every creating step looks its object up before calling again.
    /// </summary>
    public void ReissueKey(string step)
    {
        var generation = 2;
        while (Record.Keys.Values.Contains(SyncIds.IdempotencyKey(Record.Tenant, Record.InvoiceId, Record.Revision, step, generation))) generation++;
        var key = SyncIds.IdempotencyKey(Record.Tenant, Record.InvoiceId, Record.Revision, step, generation);
        Checkpoint(r => r with { Keys = With(r.Keys, step, key) });
    }

    /// <summary>The customer's provider details (name, email, contact), as configured now.</summary>
    public CustomerPaymentSettings Settings =>
        Store.FindCustomerSettings(Record.Tenant, Invoice.Customer) ?? new CustomerPaymentSettings(Record.Tenant, Invoice.Customer, Record.Provider);

    /// <summary>
    /// The push record of the invoice this credit note corrects, once that invoice is at the provider. Until then the
    /// credit note is deferred (it cannot credit what the provider does not have yet).
    /// </summary>
    public SyncRecord OriginalPush()
    {
        var name = Invoice.Number ?? Invoice.Id;
        var original = Invoice.Corrects ?? throw new PaymentException($"credit note {name} corrects no invoice", FailureKind.Permanent);
        var push = Store.FindSync(SyncIds.Record(Record.Tenant, original, PaymentOutbox.FirstRevision, SyncAction.Push));
        return push switch
        {
            null or { Status: SyncStatus.Cancelled } => throw new PaymentException(
                $"credit note {name}: the invoice it corrects ({original}) was never sent to {Record.Provider}", FailureKind.Permanent),
            { Status: SyncStatus.Done, ProviderInvoiceId: not null } => push,
            _ => throw new PaymentException(
                $"credit note {name} waits for the invoice it corrects ({original}) to reach {Record.Provider} (its sync is {push.Status.ToString().ToLowerInvariant()})",
                FailureKind.Deferred),
        };
    }

    public void Advance(string step) => Checkpoint(r => r with { Step = step });

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> keys, string step, string key) =>
        new(keys, StringComparer.Ordinal) { [step] = key };
}
