using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// What a fixed <c>once</c> coupon has left for one period (docs/dsl-spec.md §9.14.1), read from the customer's issued
/// documents only: its amount less the net of its coupon lines on the invoices of the contract's <em>other</em>
/// periods from its first period on, each with its live corrections (a credit note or adjustment keeps the id of the
/// line it corrects). Nothing is stored for the coupon itself, so re-rating a period reads the same documents and gives
/// the same bytes; a re-rated earlier period can use only what no other invoice has used, so a correction never spends
/// the coupon twice.
/// </summary>
internal static class CouponCarry
{
    public static decimal Left(decimal amount, IReadOnlyList<Invoice> issued, string contract, string coupon, DateTimeOffset firstPeriod, DateTimeOffset period)
    {
        var others = issued.Where(i => i.Kind == InvoiceKind.Invoice && i.Status != InvoiceStatus.Void && i.Contract == contract
                && i.PeriodFrom >= firstPeriod && i.PeriodFrom != period)
            .ToList();
        var ids = others.SelectMany(i => i.Lines).Where(l => l.Kind == LineKind.Coupon && l.Rule == coupon)
            .Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0) return amount;
        var corrected = others.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var corrections = issued.Where(c => c.Corrects is { } original && corrected.Contains(original) && c.Status != InvoiceStatus.Void);
        var billed = others.Concat(corrections).SelectMany(i => i.Lines).Where(l => ids.Contains(l.Id)).Sum(l => l.Amount);
        return Math.Max(amount + billed, 0m);
    }
}
