namespace RulesBilling.Dsl.Model;

/// <summary>How many billing periods a coupon discounts (docs/dsl-spec.md §9.14).</summary>
public enum CouponDuration { Once, Periods, Forever }

/// <summary>
/// A declared coupon: a percentage (<see cref="Percent"/>, a fraction in (0, 1]) or a fixed amount per currency
/// (<see cref="Amount"/>), applying once, for <see cref="Periods"/> billing periods, or forever.
/// </summary>
public sealed record CouponRule(string Name, string Label, string? Description, decimal? Percent, PriceList? Amount, CouponDuration Duration, int Periods);

/// <summary>
/// A coupon attached to a contract version (<c>coupon NAME [customers …] [for N periods] [from DATE]</c>): its duration
/// (the clause's, else the coupon's) is counted in the contract's billing periods from the period that contains
/// <see cref="From"/> (the clause's date, else the version's effective date). <see cref="Customers"/> empty: every
/// customer the version bills.
/// </summary>
public sealed record AttachedCoupon(CouponRule Coupon, CouponDuration Duration, int Periods, DateOnly From, IReadOnlyList<string> Customers)
{
    public bool AppliesTo(string customer) => Customers.Count == 0 || Customers.Contains(customer, StringComparer.Ordinal);
}
