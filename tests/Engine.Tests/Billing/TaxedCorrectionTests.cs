using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// Coupons and taxes through the engine (docs/dsl-spec.md §9.14, §9.15): a coupon's periods counted from the contract's
/// periods, and corrections of a taxed, discounted invoice that carry the tax of what they correct.
/// </summary>
public sealed class TaxedCorrectionTests
{
    private static readonly DateTimeOffset March = At("2026-03-01T00:00:00Z");

    private static readonly AttachedCoupon TenPercent = new(
        new CouponRule("partner10", "Partner discount", null, 0.10m, null, CouponDuration.Forever, 0), CouponDuration.Forever, 0, new DateOnly(2026, 1, 1), []);

    private static readonly AttachedTax Vat = new(new TaxRule("gb_vat", "VAT", 0.20m, false, "GB"), []);

    private static CompiledRuleSet TaxedRules(params AttachedCoupon[] coupons) =>
        Rules(Resolved with { Hold = Hold7d }, contracts: [StandardV1 with { Coupons = coupons.Length > 0 ? coupons : [TenPercent], Taxes = [Vat] }]);

    [Fact]
    public void A_late_reversal_on_a_taxed_discounted_invoice_refunds_the_tax_of_what_it_credits()
    {
        using var store = new InMemoryBillingStore();
        Append(store, ClosedEvent("c1", "acme", "2026-03-05T00:00:00Z", "T-1"), ClosedEvent("c2", "acme", "2026-03-10T00:00:00Z", "T-2"));
        var (engine, clock) = NewEngine(store, TaxedRules(), "2026-04-02T00:00:00Z");
        var original = engine.Finalize(T, "acme", March);
        // 100 + 2 × 2.50 = 105.00; −10% = −10.50; VAT per line 20.00 + 1.00 − 2.10 = 18.90.
        Assert.Equal([100.00m, 5.00m, -10.50m, 18.90m], original.Lines.Select(l => l.Amount));
        Assert.Equal(113.40m, original.Total);

        clock.Now = At("2026-04-05T00:00:00Z");
        Append(store, ReopenedEvent("r1", "acme", "2026-03-14T00:00:00Z", "T-2"));
        var issued = engine.Corrections(T, "acme");

        // Re-rated: 100 + 2.50 = 102.50; −10.25; VAT 20.00 + 0.50 − 2.05 = 18.45; total 110.70 (−2.70).
        Assert.Equal(2, issued.Count);
        var note = issued.Single(d => d.Kind == InvoiceKind.CreditNote);
        // Correction documents keep their usual order (segment, rule): the tax line is not last there.
        Assert.Equal([("gb_vat", -0.50m), ("resolved", -2.50m)], note.Lines.Select(l => (l.Rule, l.Amount)));
        Assert.Equal(-0.50m, Assert.Single(note.Lines.Single(l => l.Rule == "resolved").Taxes).Amount);
        Assert.Equal(new InvoiceTax("gb_vat", "VAT", 0.20m, false, "GB", -2.50m, -0.50m), Assert.Single(note.Taxes));
        Assert.Equal(-3.00m, note.Total);
        var adjustment = issued.Single(d => d.Kind == InvoiceKind.Adjustment);
        Assert.Equal([("gb_vat", 0.05m), ("partner10", 0.25m)], adjustment.Lines.Select(l => (l.Rule, l.Amount)));
        Assert.Equal(new InvoiceTax("gb_vat", "VAT", 0.20m, false, "GB", 0.25m, 0.05m), Assert.Single(adjustment.Taxes));
        Assert.Equal(110.70m - 113.40m, note.Total + adjustment.Total);
        Assert.Empty(engine.Corrections(T, "acme"));
    }

    [Fact]
    public void A_coupon_for_two_periods_discounts_the_two_periods_from_its_start_and_then_stops()
    {
        var twoMonths = TenPercent with { Duration = CouponDuration.Periods, Periods = 2, From = new DateOnly(2026, 2, 10) };
        using var store = new InMemoryBillingStore();
        var (engine, _) = NewEngine(store, TaxedRules(twoMonths), "2026-05-02T00:00:00Z");

        var coupons = new[] { "2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01" }
            .Select(month => engine.Finalize(T, "acme", At(month + "T00:00:00Z")).Lines.SingleOrDefault(l => l.Kind == LineKind.Coupon))
            .Select(line => (line?.Amount, line?.Note))
            .ToList();

        Assert.Equal([(null, null), (-10.00m, "coupon, period 1 of 2"), (-10.00m, "coupon, period 2 of 2"), (null, null)], coupons);
    }
}
