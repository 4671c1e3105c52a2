using System.Globalization;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// The document rules the use cases share: which stored invoice is a period's, how a document is numbered and named
/// in messages, and the checks of a call's names.
/// </summary>
internal static class BillingDocuments
{
    /// <summary>The live (non-void) invoice of a period: held, released (stored as draft) or finalized.</summary>
    public static Invoice? CurrentInvoice(IBillingStore store, string tenant, string customer, ContractPeriod period) =>
        store.ListInvoices(tenant, customer).FirstOrDefault(i =>
            i.Status != InvoiceStatus.Void && Covers(i, period.Contract, period.Period.From, period.Period.To));

    /// <summary>A period finalized again after a void gets a new id, so the voided document stays as it was.</summary>
    public static string RevisionId(IBillingStore store, Invoice draft)
    {
        var voided = store.ListInvoices(draft.Tenant, draft.Customer).Count(i =>
            i.Status == InvoiceStatus.Void && Covers(i, draft.Contract, draft.PeriodFrom, draft.PeriodTo));
        return voided == 0 ? draft.Id : DeterministicId.For("inv", draft.Id, "revision", voided.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>An invoice (not a correction) of exactly this contract period.</summary>
    public static bool Covers(Invoice invoice, string contract, DateTimeOffset from, DateTimeOffset to) =>
        invoice.Kind == InvoiceKind.Invoice && invoice.Contract == contract && invoice.PeriodFrom == from && invoice.PeriodTo == to;

    public static Invoice Find(IBillingStore store, string tenant, string invoiceId) =>
        store.FindInvoice(tenant, invoiceId) ?? throw new BillingException($"no invoice '{invoiceId}' in tenant '{tenant}'");

    public static string Number(long sequence) => "INV-" + sequence.ToString("D6", CultureInfo.InvariantCulture);

    public static string Name(Invoice invoice) => invoice.Number ?? invoice.Id;

    public static string Show(BillingPeriodRange range) => $"{UtcTimestamp.Format(range.From)}..{UtcTimestamp.Format(range.To)}";

    public static void RequireNames(string tenant, string customer)
    {
        if (string.IsNullOrEmpty(tenant)) throw new BillingException("a tenant is required");
        if (string.IsNullOrEmpty(customer)) throw new BillingException("a customer is required");
    }

    public static void RequireCurrency(string currency)
    {
        if (!Currencies.IsKnown(currency)) throw new BillingException($"unknown currency '{currency}': not an ISO 4217 code");
    }
}
