using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// A coupon on a period split by a version change follows each segment's version (docs/dsl-spec.md §9.14.2): base
/// 100 USD prorated, January 1–15 under version 1 (14/31 = 45.16), January 15–February 1 under version 2 (17/31 = 54.84).
/// </summary>
public sealed class SplitPeriodCouponTests
{
    private static AttachedCoupon TenPercent(string effective) => new(
        new CouponRule("partner10", "Partner discount", null, 0.10m, null, CouponDuration.Forever, 0), CouponDuration.Forever, 0, DateOnly.Parse(effective), []);

    private static AttachedCoupon Fixed(decimal amount, string effective) => new(
        new CouponRule("credit", "Credit", null, null, PriceList.Single("USD", amount), CouponDuration.Forever, 0), CouponDuration.Forever, 0, DateOnly.Parse(effective), []);

    private static Invoice January(AttachedCoupon[] v1, AttachedCoupon[] v2)
    {
        var rules = Rules(Resolved with { Hold = Hold7d }, contracts:
        [
            Contracts.Version("standard", 1, "2026-01-01") with { Coupons = v1 },
            Contracts.Version("standard", 2, "2026-01-15") with { Coupons = v2 },
        ]);
        using var store = new InMemoryBillingStore();
        var (engine, _) = NewEngine(store, rules, "2026-02-02T00:00:00Z");
        return engine.Finalize(T, "acme", At("2026-01-01T00:00:00Z"));
    }

    [Fact]
    public void A_coupon_only_version_1_attaches_discounts_only_version_1s_lines()
    {
        var invoice = January([TenPercent("2026-01-01")], []);

        Assert.Equal([45.16m, 0m, 54.84m, 0m, -4.52m], invoice.Lines.Select(l => l.Amount));
        var coupon = invoice.Lines[4];
        Assert.Equal((1, At("2026-01-01T00:00:00Z")), (coupon.Version, coupon.SegmentFrom));
        Assert.Equal("coupon, period 1, forever; on the lines of version 1 only", coupon.Note);
        Assert.Equal("−10% of 45.16 USD = 4.516 USD", coupon.Breakdown[0].Text);
        Assert.Equal(95.48m, invoice.Total);
    }

    [Fact]
    public void A_coupon_only_version_2_attaches_discounts_only_version_2s_lines()
    {
        var invoice = January([], [Fixed(80m, "2026-01-15")]);

        var coupon = invoice.Lines.Single(l => l.Kind == LineKind.Coupon);
        Assert.Equal((-54.84m, 2), (coupon.Amount, coupon.Version));
        Assert.Equal("−80.00 USD, limited to the 54.84 USD left to discount", coupon.Breakdown[0].Text);
        Assert.Equal(45.16m, invoice.Total);
    }

    [Fact]
    public void A_coupon_both_versions_attach_discounts_the_whole_period_with_one_line_under_the_latest_version()
    {
        var invoice = January([TenPercent("2026-01-01")], [TenPercent("2026-01-01")]);

        var coupon = invoice.Lines.Single(l => l.Kind == LineKind.Coupon);
        Assert.Equal((-10.00m, 2, "coupon, period 1, forever"), (coupon.Amount, coupon.Version, coupon.Note));
        Assert.Equal(90.00m, invoice.Total);
    }

    [Fact]
    public void A_whole_period_coupon_first_then_a_version_1_coupon_sees_version_1s_share_of_what_is_left()
    {
        // partner10 (both versions) takes 10.00, 4.516 of it from version 1's 45.16: credit (version 1) takes at most
        // the 40.644 left there, 40.64 rounded.
        var invoice = January([TenPercent("2026-01-01"), Fixed(50m, "2026-01-01")], [TenPercent("2026-01-01")]);

        Assert.Equal([("partner10", -10.00m), ("credit", -40.64m)], invoice.Lines.Where(l => l.Kind == LineKind.Coupon).Select(l => (l.Rule, l.Amount)));
        Assert.Equal(49.36m, invoice.Total);
    }
}
