using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Which coupons and taxes an invoice takes (docs/dsl-spec.md §9.14, §9.15). Taxes: those of the contract version of
/// its latest segment that apply to the customer. Coupons follow each segment's version (§9.14.2): a coupon discounts
/// the lines of the segments whose version attaches it, and the latest such version's clause says its duration and
/// start. A coupon's periods are counted from the billing period that contains its start date, with the contract's own
/// period calculator: the count depends on the rules and the period alone, never on earlier invoices or the clock. A
/// fixed <c>once</c> coupon is the exception (§9.14.1): it stays until its amount is used, and what is left is read
/// from the customer's issued documents (null: none known, so it discounts its first period only).
/// </summary>
internal static class AdjustmentSelection
{
    /// <param name="segments">The invoice's segments: each one's version and start.</param>
    public static IReadOnlyList<ActiveCoupon> Coupons(
        CompiledRuleSet rules, IReadOnlyList<(ContractVersion Version, DateTimeOffset From)> segments, string customer, BillingPeriodRange period,
        Func<IReadOnlyList<Invoice>>? issued = null)
    {
        var ordered = segments.OrderBy(s => s.From.UtcTicks).ToList();
        if (ordered.All(s => s.Version.Coupons.Count == 0)) return [];
        // The latest segment's coupons first, in its clause order, then those only earlier versions attach.
        var governing = new List<(ContractVersion Version, AttachedCoupon Coupon)>();
        foreach (var (version, _) in Enumerable.Reverse(ordered))
        {
            foreach (var coupon in version.Coupons.Where(c => c.AppliesTo(customer)))
            {
                if (governing.All(g => g.Coupon.Coupon.Name != coupon.Coupon.Name)) governing.Add((version, coupon));
            }
        }

        var known = issued is null ? null : new Lazy<IReadOnlyList<Invoice>>(issued);
        var result = new List<ActiveCoupon>();
        foreach (var (version, coupon) in governing)
        {
            var covered = ordered.Where(s => s.Version.Coupons.Any(c => c.Coupon.Name == coupon.Coupon.Name && c.AppliesTo(customer)))
                .Select(s => s.From).ToList();
            if (Active(rules, version, coupon, period, known) is { } active)
                result.Add(covered.Count == ordered.Count ? active : active with { Segments = covered });
        }
        return result;
    }

    private static ActiveCoupon? Active(CompiledRuleSet rules, ContractVersion version, AttachedCoupon coupon, BillingPeriodRange period, Lazy<IReadOnlyList<Invoice>>? known)
    {
        var zone = LocalTime.Zone(version.TimeZone);
        var origin = ContractResolver.Origin(rules.Contracts, version.Contract);
        int? limit = coupon.Duration switch
        {
            CouponDuration.Once => 1,
            CouponDuration.Periods => coupon.Periods,
            _ => null,
        };
        var current = PeriodCalculator.Containing(version.Period, origin, LocalTime.Midnight(coupon.From, zone), zone);
        if (current.From >= period.To) return null;
        if (coupon.Duration == CouponDuration.Once && coupon.Coupon.Amount is { } fixedAmount)
        {
            var amount = fixedAmount.In(version.Currency);
            var left = known is null ? amount : CouponCarry.Left(amount, known.Value, version.Contract, coupon.Coupon.Name, current.From, period.From);
            var first = current.To > period.From;
            return first || (known is not null && left > 0m) ? new ActiveCoupon(coupon, 1, 1) { Left = left } : null;
        }
        var number = 1;
        while (current.To <= period.From && (limit is null || number <= limit))
        {
            current = PeriodCalculator.Containing(version.Period, origin, current.To, zone);
            number++;
        }
        return limit is null || number <= limit ? new ActiveCoupon(coupon, number, limit) : null;
    }

    public static IReadOnlyList<TaxRule> Taxes(ContractVersion latest, string customer) =>
        latest.Taxes.Where(t => t.AppliesTo(customer)).Select(t => t.Tax).ToList();
}
