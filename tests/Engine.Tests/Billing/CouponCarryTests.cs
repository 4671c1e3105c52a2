using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// A fixed <c>once</c> coupon larger than its invoice carries the rest to the next invoices, read from the issued
/// documents (docs/dsl-spec.md §9.14.1): deterministic on re-rating, never spent twice by a correction.
/// </summary>
public sealed class CouponCarryTests
{
    private static AttachedCoupon Welcome(decimal amount, CouponDuration duration = CouponDuration.Once, int periods = 1) => new(
        new CouponRule("welcome", "Welcome credit", null, null, PriceList.Single("USD", amount), duration, periods), duration, periods, new DateOnly(2026, 1, 1), []);

    private static CompiledRuleSet CouponRules(AttachedCoupon coupon) =>
        Rules(Resolved with { Hold = Hold7d }, contracts: [StandardV1 with { Coupons = [coupon] }]);

    private static readonly string[] Months = ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"];

    [Fact]
    public void A_once_fixed_coupon_of_250_on_100_a_month_discounts_100_100_50_and_then_stops()
    {
        using var store = new InMemoryBillingStore();
        var (engine, _) = NewEngine(store, CouponRules(Welcome(250m)), "2026-05-02T00:00:00Z");

        var invoices = Months.Select(month => engine.Finalize(T, "acme", At(month + "T00:00:00Z"))).ToList();
        var coupons = invoices.Select(i => i.Lines.SingleOrDefault(l => l.Kind == LineKind.Coupon)).ToList();

        Assert.Equal([-100.00m, -100.00m, -50.00m], coupons.Take(3).Select(l => l!.Amount));
        Assert.Null(coupons[3]);
        Assert.Equal([0.00m, 0.00m, 50.00m, 100.00m], invoices.Select(i => i.Total));
        Assert.Equal("−100.00 USD, limited to the 100.00 USD left to discount: 100.00 USD of 250.00 USD used, 150.00 USD left for the next invoices",
            coupons[0]!.Breakdown.Single().Text);
        Assert.Equal("coupon, once", coupons[0]!.Note);
        Assert.Equal("−100.00 USD, limited to the 100.00 USD left to discount: 200.00 USD of 250.00 USD used, 50.00 USD left for the next invoices",
            coupons[1]!.Breakdown.Single().Text);
        Assert.Equal("coupon, once, carried: 150.00 USD left from earlier invoices", coupons[1]!.Note);
        Assert.Equal("−50.00 USD: 250.00 USD of 250.00 USD used, 0.00 USD left", coupons[2]!.Breakdown.Single().Text);
    }

    [Fact]
    public void A_coupon_the_first_invoice_uses_up_reads_as_before_and_is_not_carried()
    {
        using var store = new InMemoryBillingStore();
        var (engine, _) = NewEngine(store, CouponRules(Welcome(40m)), "2026-03-02T00:00:00Z");

        var january = engine.Finalize(T, "acme", At("2026-01-01T00:00:00Z"));
        var february = engine.Finalize(T, "acme", At("2026-02-01T00:00:00Z"));

        var line = january.Lines.Single(l => l.Kind == LineKind.Coupon);
        Assert.Equal((-40.00m, "−40.00 USD off", "coupon, once"), (line.Amount, line.Breakdown.Single().Text, line.Note));
        Assert.DoesNotContain(february.Lines, l => l.Kind == LineKind.Coupon);
    }

    [Fact]
    public void A_fixed_coupon_for_n_periods_takes_its_amount_each_period_and_carries_nothing()
    {
        using var store = new InMemoryBillingStore();
        var (engine, _) = NewEngine(store, CouponRules(Welcome(150m, CouponDuration.Periods, 2)), "2026-04-02T00:00:00Z");

        var totals = Months.Take(3).Select(month => engine.Finalize(T, "acme", At(month + "T00:00:00Z")).Total).ToList();

        Assert.Equal([0.00m, 0.00m, 100.00m], totals);
    }

    [Fact]
    public void Re_rating_gives_the_same_bytes_and_a_late_event_in_an_earlier_period_does_not_spend_the_coupon_twice()
    {
        using var store = new InMemoryBillingStore();
        var (engine, clock) = NewEngine(store, CouponRules(Welcome(250m)), "2026-04-02T00:00:00Z");
        foreach (var month in Months.Take(3)) engine.Finalize(T, "acme", At(month + "T00:00:00Z"));
        Assert.Empty(engine.Corrections(T, "acme"));

        // A late ticket in January: January's invoice grows by 2.50, but February and March already used the 150.00
        // January left, so January's coupon stays at 100.00 and the customer pays the 2.50.
        clock.Now = At("2026-04-10T00:00:00Z");
        Append(store, ClosedEvent("late", "acme", "2026-01-20T00:00:00Z", "T-9"));
        var issued = engine.Corrections(T, "acme");

        var adjustment = Assert.Single(issued);
        Assert.Equal(InvoiceKind.Adjustment, adjustment.Kind);
        Assert.Equal([("resolved", 2.50m)], adjustment.Lines.Select(l => (l.Rule, l.Amount)));
        var used = store.ListInvoices(T, "acme").SelectMany(i => i.Lines).Where(l => l.Rule == "welcome").Sum(l => -l.Amount);
        Assert.Equal(250.00m, used);
        Assert.Empty(engine.Corrections(T, "acme"));
    }

    [Fact]
    public void A_re_rated_period_may_use_what_the_other_periods_left_unused()
    {
        using var store = new InMemoryBillingStore();
        var (engine, clock) = NewEngine(store, CouponRules(Welcome(210m)), "2026-03-02T00:00:00Z");
        engine.Finalize(T, "acme", At("2026-01-01T00:00:00Z"));
        var february = engine.Finalize(T, "acme", At("2026-02-01T00:00:00Z"));
        Assert.Equal(-100.00m, february.Lines.Single(l => l.Kind == LineKind.Coupon).Amount);

        // 10.00 is still unused: a late ticket in January (2.50) takes it from the coupon instead of the customer.
        clock.Now = At("2026-03-10T00:00:00Z");
        Append(store, ClosedEvent("late", "acme", "2026-01-20T00:00:00Z", "T-9"));
        var issued = engine.Corrections(T, "acme");

        Assert.Equal([("resolved", 2.50m)], issued.Single(d => d.Kind == InvoiceKind.Adjustment).Lines.Select(l => (l.Rule, l.Amount)));
        Assert.Equal([("welcome", -2.50m)], issued.Single(d => d.Kind == InvoiceKind.CreditNote).Lines.Select(l => (l.Rule, l.Amount)));
        Assert.Equal(202.50m, store.ListInvoices(T, "acme").SelectMany(i => i.Lines).Where(l => l.Rule == "welcome").Sum(l => -l.Amount));
    }

    /// <summary>
    /// Over any run of monthly subtotals, each drafted with what the earlier invoices left: the coupon lines never sum
    /// to more than the coupon, no invoice goes below zero, and the coupon is used up before any invoice is paid in
    /// part while something was left.
    /// </summary>
    [Property]
    public bool A_carried_coupon_never_gives_more_than_its_amount_nor_a_negative_total(PositiveInt couponCents, NonNegativeInt[] baseCents)
    {
        var amount = couponCents.Get % 100_000 / 100m + 0.01m;
        var coupon = Welcome(amount);
        var issued = new List<Invoice>();
        var start = At("2026-01-01T00:00:00Z");
        foreach (var (cents, month) in baseCents.Take(8).Select((c, i) => (c.Get % 50_000, i)))
        {
            var from = start.AddMonths(month);
            var plan = Plan([], baseFee: cents / 100m);
            var segment = new InvoiceSegment(StandardV1, plan, from, from.AddMonths(1), [], [], []);
            var left = CouponCarry.Left(amount, issued, "standard", "welcome", start, from);
            var request = new InvoiceRequest(T, "acme", "standard", "USD", from, from.AddMonths(1), [segment], "hash")
            {
                Coupons = left > 0m || month == 0 ? [new ActiveCoupon(coupon, 1, 1) { Left = left }] : [],
            };
            issued.Add(InvoiceAssembler.Assemble(request) with { Status = InvoiceStatus.Finalized });
        }
        var used = issued.SelectMany(i => i.Lines).Where(l => l.Kind == LineKind.Coupon).Sum(l => -l.Amount);
        var subtotals = issued.Sum(i => i.Lines.Where(l => l.Kind != LineKind.Coupon).Sum(l => l.Amount));
        return used <= amount && issued.All(i => i.Total >= 0m) && used == Math.Min(amount, subtotals);
    }
}
