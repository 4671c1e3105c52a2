using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Storage.Migration;

/// <summary>The outcome of <see cref="StoreImport.FromLiteDb"/>: what was copied and whether both sides agree.</summary>
public sealed record ImportReport(
    int EventsCopied,
    int EventsAlreadyPresent,
    int LedgerCopied,
    int LedgerAlreadyPresent,
    IReadOnlyList<TenantSummary> Source,
    IReadOnlyList<TenantSummary> Target,
    IReadOnlyList<string> Mismatches,
    HostCopied HostCopied,
    IReadOnlyList<HostSummary> HostSource,
    IReadOnlyList<HostSummary> HostTarget,
    PaymentCopied PaymentCopied,
    IReadOnlyList<PaymentSummary> PaymentSource,
    IReadOnlyList<PaymentSummary> PaymentTarget)
{
    /// <summary>
    /// True when every tenant's counts, totals, digest and invoice number agree between source and target, and so do
    /// the host data's counts and rule-set digests.
    /// </summary>
    public bool Verified => Mismatches.Count == 0;
}

/// <summary>
/// Moves a LiteDB store file into another store (in practice PostgreSQL) and verifies the result: the billing data
/// and the host data (tenants, API keys, customers, contract assignments, rule-set versions, audit trail; see
/// <see cref="HostImport"/>), webhook subscriptions and the payments module's records (<see cref="PaymentImport"/>).
/// Notifications already raised and their webhook deliveries are not copied.
/// <para>
/// The copy is idempotent, so an interrupted import is simply run again: events go through the normal append
/// (dedup by identity, original StoredAt kept, arrival order kept), invoices, grants and rejections are upserts,
/// ledger entries already present are skipped, and each tenant's invoice counter is raised to the source's value,
/// never lowered. It is not one transaction (a large file would hold one for hours); the verification at the end
/// is what says the target is complete. Run it with the source server stopped and before the target takes traffic.
/// </para>
/// </summary>
public static class StoreImport
{
    private const int BatchSize = 1000;

    /// <summary>
    /// Copies the billing data into <paramref name="target"/>, the host data into <paramref name="tenants"/> and the
    /// webhook subscriptions into <paramref name="notifications"/> and the payment records into <paramref name="payments"/>.
    /// </summary>
    public static ImportReport FromLiteDb(
        string liteDbPath, IBillingStore target, ITenantStore tenants, INotificationStore notifications, IPaymentStore payments)
    {
        ArgumentNullException.ThrowIfNull(payments);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(notifications);
        var snapshot = LiteDbSnapshot.Read(liteDbPath);
        var mismatches = new List<string>();
        var hostCopied = HostImport.Copy(snapshot.Host, tenants, notifications, mismatches);
        var paymentCopied = PaymentImport.Copy(snapshot.Payments, payments);

        int copied = 0, present = 0;
        foreach (var batch in snapshot.Events.Chunk(BatchSize))
        {
            var statuses = target.AppendEvents(batch);
            copied += statuses.Count(s => s == AppendStatus.Accepted);
            present += statuses.Count(s => s == AppendStatus.Duplicate);
        }
        // Copied events bypass ingestion, so a target tenant's outcome state (if any) no longer covers them.
        foreach (var tenant in snapshot.Events.Select(e => e.Tenant).Distinct(StringComparer.Ordinal)) StoredOutcomes.Invalidate(target, tenant);

        foreach (var rejected in snapshot.Rejected) target.AddRejected(rejected);
        foreach (var invoice in snapshot.Invoices) target.SaveInvoice(invoice);
        foreach (var grant in snapshot.Grants) target.SaveGrant(grant);

        int ledgerCopied = 0, ledgerPresent = 0;
        var existing = new Dictionary<(string Tenant, string Customer), HashSet<string>>();
        foreach (var entry in snapshot.Ledger)
        {
            var key = (entry.Tenant, entry.Customer);
            if (!existing.TryGetValue(key, out var ids))
            {
                existing[key] = ids = target.ReadLedger(entry.Tenant, entry.Customer).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            }
            if (!ids.Add(entry.Id))
            {
                ledgerPresent++;
                continue;
            }
            target.AppendLedger(entry);
            ledgerCopied++;
        }

        foreach (var (tenant, last) in snapshot.InvoiceNumbers) RaiseInvoiceNumber(target, tenant, last);

        var source = snapshot.Tenants.Select(t => TenantSummary.Of(snapshot, t)).ToList();
        var copy = snapshot.Tenants.Select(t => TenantSummary.Of(target, t, snapshot.CustomersOf(t))).ToList();
        foreach (var (s, t) in source.Zip(copy))
        {
            if (s != t) mismatches.Add($"tenant '{s.Tenant}': source {s} but target {t}");
            var sourceNumber = snapshot.InvoiceNumbers.GetValueOrDefault(s.Tenant);
            var targetNumber = LastInvoiceNumber(target, s.Tenant);
            if (sourceNumber != targetNumber)
            {
                mismatches.Add($"tenant '{s.Tenant}': last invoice number {sourceNumber} in the source but {targetNumber} in the target");
            }
        }

        var hostSource = snapshot.Host.Tenants.Select(t => HostSummary.Of(snapshot.Host, t)).ToList();
        var hostTarget = snapshot.Host.Tenants.Select(t => HostSummary.Of(tenants, notifications, t, snapshot.Host)).ToList();
        foreach (var (s, t) in hostSource.Zip(hostTarget))
        {
            if (s != t) mismatches.Add($"tenant '{s.Tenant}' host data: source {s} but target {t}");
        }

        var paymentTenants = snapshot.Payments.Accounts.Select(a => a.Tenant).Concat(snapshot.Payments.Settings.Select(s => s.Tenant))
            .Concat(snapshot.Payments.CustomerMappings.Select(c => c.Tenant)).Concat(snapshot.Payments.Sync.Select(s => s.Tenant))
            .Concat(snapshot.Payments.WebhookEvents.Select(e => e.Tenant)).Concat(snapshot.Payments.States.Select(s => s.Tenant))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var paymentSource = paymentTenants.Select(t => PaymentSummary.Of(snapshot.Payments, t)).ToList();
        var paymentTarget = paymentTenants.Select(t => PaymentSummary.Of(payments, t, snapshot.Payments)).ToList();
        foreach (var (s, t) in paymentSource.Zip(paymentTarget))
        {
            if (s != t) mismatches.Add($"tenant '{s.Tenant}' payment records: source {s} but identical in the target {t}");
        }
        return new ImportReport(copied, present, ledgerCopied, ledgerPresent, source, copy, mismatches, hostCopied, hostSource, hostTarget,
            paymentCopied, paymentSource, paymentTarget);
    }

    /// <summary>
    /// The tenant's last invoice number, read through the only API there is (taking the next one) inside a
    /// transaction that is then rolled back, so nothing is consumed.
    /// </summary>
    public static long LastInvoiceNumber(IBillingStore store, string tenant)
    {
        long next = 0;
        try
        {
            store.InTransaction<int>(s =>
            {
                next = s.NextInvoiceNumber(tenant);
                throw new RollBack();
            });
        }
        catch (RollBack)
        {
        }
        return next - 1;
    }

    /// <summary>Takes numbers until the counter reaches <paramref name="last"/>; if it is already past it, nothing changes.</summary>
    private static void RaiseInvoiceNumber(IBillingStore store, string tenant, long last)
    {
        try
        {
            store.InTransaction<int>(s =>
            {
                long n;
                do n = s.NextInvoiceNumber(tenant);
                while (n < last);
                if (n > last) throw new RollBack();
                return 0;
            });
        }
        catch (RollBack)
        {
        }
    }

    private sealed class RollBack : Exception;
}
