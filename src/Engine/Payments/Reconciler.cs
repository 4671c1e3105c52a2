using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Payments;

public enum DriftKind { Missing, TotalMismatch, StatusDrift }

/// <summary>One difference between our invoice and the provider's copy.</summary>
public sealed record ReconciliationFinding(string Tenant, string InvoiceId, string? InvoiceNumber, PaymentProvider Provider, DriftKind Kind, string Detail);

/// <summary>
/// Compares our finalized and voided invoices that were pushed with what the provider holds (looked up by metadata
/// or receipt, not by our stored ids, so a lost checkpoint shows too): missing, total mismatch, status drift
/// (ours void but theirs live, or ours finalized but theirs void/absent from delivery).
/// </summary>
public sealed class Reconciler
{
    private readonly IInvoiceStore _billing;
    private readonly IPaymentStore _payments;
    private readonly IReadOnlyDictionary<PaymentProvider, IProviderSync> _providers;

    public Reconciler(IInvoiceStore billing, IPaymentStore payments, HttpClient http)
    {
        _billing = billing;
        _payments = payments;
        _providers = SyncWorker.Providers(http);
    }

    public async Task<IReadOnlyList<ReconciliationFinding>> RunAsync(string tenant, CancellationToken cancellation = default)
    {
        var findings = new List<ReconciliationFinding>();
        foreach (var push in _payments.ListSync(tenant).Where(r => r.Action == SyncAction.Push && r.Status != SyncStatus.Cancelled))
        {
            if (_billing.FindInvoice(tenant, push.InvoiceId) is not { } invoice) continue;
            if (_payments.FindAccount(tenant, push.Provider) is not { } account) continue;
            var remote = await _providers[push.Provider].FindAsync(account, _payments, invoice, push.Revision, cancellation);
            var finding = Compare(invoice, push, remote);
            if (finding is not null) findings.Add(finding);
        }
        return findings.OrderBy(f => f.InvoiceNumber, StringComparer.Ordinal).ThenBy(f => f.InvoiceId, StringComparer.Ordinal).ToList();
    }

    private static ReconciliationFinding? Compare(Invoice invoice, SyncRecord push, RemoteInvoice? remote)
    {
        ReconciliationFinding Finding(DriftKind kind, string detail) => new(invoice.Tenant, invoice.Id, invoice.Number, push.Provider, kind, detail);

        var live = remote is not null && remote.Status is not ("void" or "cancelled" or "deleted");
        if (invoice.Status == InvoiceStatus.Void)
        {
            return live ? Finding(DriftKind.StatusDrift, $"void here, {remote!.Status} at {push.Provider} ({remote.ProviderInvoiceId})") : null;
        }
        if (remote is null)
        {
            return push.Status == SyncStatus.Done ? Finding(DriftKind.Missing, $"pushed, but {push.Provider} has no invoice for it")
                : Finding(DriftKind.Missing, $"not at {push.Provider} yet (sync {push.Status.ToString().ToLowerInvariant()}{(push.LastError is { } e ? ": " + e : "")})");
        }
        var total = ProviderMoney.ToMinorUnits(invoice.Total, invoice.Currency, push.Provider);
        if (remote.Total != total)
        {
            return Finding(DriftKind.TotalMismatch, $"ours {total}, {push.Provider} {remote.Total} ({remote.ProviderInvoiceId}, minor units)");
        }
        return live ? null : Finding(DriftKind.StatusDrift, $"finalized here, {remote.Status} at {push.Provider} ({remote.ProviderInvoiceId})");
    }
}
