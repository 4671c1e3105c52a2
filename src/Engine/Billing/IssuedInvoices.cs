using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// The customer's issued documents as a carried coupon reads them (docs/dsl-spec.md §9.14.1): the finalized ones, read
/// from the store when the coupon asks and again on every call, so a correction run sees the corrections it issued
/// for earlier periods, and held, released and void invoices never count.
/// </summary>
internal static class IssuedInvoices
{
    public static Func<IReadOnlyList<Invoice>> Of(IInvoiceStore store, string tenant, string customer) => () =>
        store.ListInvoices(tenant, customer).Where(i => i.Status == InvoiceStatus.Finalized).ToList();
}
