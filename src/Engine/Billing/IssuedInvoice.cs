using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// The invoice already issued (finalized, or held awaiting release) for a previewed period, so a preview of a closed
/// period never passes for the bill: the document the customer has, the corrections issued against it so far, and
/// what a corrections run would issue now from the current events (nothing when the invoice still stands).
/// </summary>
public sealed record IssuedInvoice(
    string Id,
    string? Number,
    InvoiceStatus Status,
    string Currency,
    decimal Total,
    IReadOnlyList<string> Corrections,
    IReadOnlyList<PendingCorrection> PendingCorrections)
{
    /// <summary>The issued invoice of <paramref name="period"/>, compared with its re-rating; null when none is issued.</summary>
    internal static IssuedInvoice? Of(IBillingStore store, string tenant, string customer, ContractPeriod period, Invoice? rerated, DateTimeOffset now)
    {
        var invoices = store.ListInvoices(tenant, customer);
        var issued = invoices.FirstOrDefault(i =>
            i.Kind == InvoiceKind.Invoice && i.Status is InvoiceStatus.Finalized or InvoiceStatus.Held
            && i.Contract == period.Contract && i.PeriodFrom == period.Period.From && i.PeriodTo == period.Period.To);
        if (issued is null) return null;
        var corrections = invoices.Where(c => c.Corrects == issued.Id).ToList();
        // A held invoice is not final yet: releasing it re-rates the period, so nothing would be corrected.
        var pending = issued.Status == InvoiceStatus.Finalized && rerated is not null
            ? CorrectionBuilder.Build(issued, corrections, rerated, now, period.Segments[^1].Version.Corrections).Select(d => new PendingCorrection(d.Kind, d.Total)).ToList()
            : [];
        return new IssuedInvoice(issued.Id, issued.Number, issued.Status, issued.Currency, issued.Total,
            corrections.Where(c => c.Status != InvoiceStatus.Void).Select(c => c.Number ?? c.Id).ToList(), pending);
    }
}

/// <summary>A correction document a corrections run would issue now: a credit note (negative total) or an adjustment.</summary>
public sealed record PendingCorrection(InvoiceKind Kind, decimal Total);
