using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Which coupons and taxes an invoice takes (docs/dsl-spec.md §9.14, §9.15): those of the contract version of its latest
/// segment that apply to the customer. A coupon's periods are counted from the billing period that contains its start
/// date, with the contract's own period calculator: the count depends on the rules and the period alone, never on
/// earlier invoices or the clock. A fixed <c>once</c> coupon is the exception (§9.14.1): it stays until its amount is
/// used, and what is left is read from <paramref name="issued"/> (the customer's issued documents; null: none known,
/// so it discounts its first period only).
/// </summary>
internal static class AdjustmentSelection
{
    public static IReadOnlyList<ActiveCoupon> Coupons(
        CompiledRuleSet rules, ContractVersion latest, string customer, BillingPeriodRange period, Func<IReadOnlyList<Invoice>>? issued = null)
    {
        if (latest.Coupons.Count == 0) return [];
        var zone = LocalTime.Zone(latest.TimeZone);
        var origin = ContractResolver.Origin(rules.Contracts, latest.Contract);
        var result = new List<ActiveCoupon>();
        var known = issued is null ? null : new Lazy<IReadOnlyList<Invoice>>(issued);
        foreach (var coupon in latest.Coupons.Where(c => c.AppliesTo(customer)))
        {
            int? limit = coupon.Duration switch
            {
                CouponDuration.Once => 1,
                CouponDuration.Periods => coupon.Periods,
                _ => null,
            };
            var current = PeriodCalculator.Containing(latest.Period, origin, LocalTime.Midnight(coupon.From, zone), zone);
            if (current.From >= period.To) continue;
            if (coupon.Duration == CouponDuration.Once && coupon.Coupon.Amount is { } fixedAmount)
            {
                var amount = fixedAmount.In(latest.Currency);
                var left = known is null ? amount : CouponCarry.Left(amount, known.Value, latest.Contract, coupon.Coupon.Name, current.From, period.From);
                var first = current.To > period.From;
                if (first || (known is not null && left > 0m)) result.Add(new ActiveCoupon(coupon, 1, 1) { Left = left });
                continue;
            }
            var number = 1;
            while (current.To <= period.From && (limit is null || number <= limit))
            {
                current = PeriodCalculator.Containing(latest.Period, origin, current.To, zone);
                number++;
            }
            if (limit is null || number <= limit) result.Add(new ActiveCoupon(coupon, number, limit));
        }
        return result;
    }

    public static IReadOnlyList<TaxRule> Taxes(ContractVersion latest, string customer) =>
        latest.Taxes.Where(t => t.AppliesTo(customer)).Select(t => t.Tax).ToList();
}
