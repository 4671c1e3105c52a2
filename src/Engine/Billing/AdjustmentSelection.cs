using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Which coupons and taxes an invoice takes (docs/dsl-spec.md §9.14, §9.15): those of the contract version of its latest
/// segment that apply to the customer. A coupon's periods are counted from the billing period that contains its start
/// date, with the contract's own period calculator: the count depends on the rules and the period alone, never on
/// earlier invoices or the clock.
/// </summary>
internal static class AdjustmentSelection
{
    public static IReadOnlyList<ActiveCoupon> Coupons(CompiledRuleSet rules, ContractVersion latest, string customer, BillingPeriodRange period)
    {
        if (latest.Coupons.Count == 0) return [];
        var zone = LocalTime.Zone(latest.TimeZone);
        var origin = ContractResolver.Origin(rules.Contracts, latest.Contract);
        var result = new List<ActiveCoupon>();
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
