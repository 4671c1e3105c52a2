using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Invoicing;

/// <summary>Coupons and taxes on an assembled invoice (docs/dsl-spec.md §9.10, §9.14, §9.15), with the worked figures of the spec.</summary>
public sealed class InvoiceAdjustmentsTests
{
    private static ActiveCoupon Percent(string name, decimal percent, int period = 1, int? of = 3) =>
        new(new AttachedCoupon(new CouponRule(name, name, null, percent, null, CouponDuration.Periods, of ?? 0), CouponDuration.Periods, of ?? 0, new DateOnly(2026, 1, 1), []), period, of);

    private static ActiveCoupon Fixed(string name, decimal amount, string currency = "USD") =>
        new(new AttachedCoupon(new CouponRule(name, name, null, null, Price(amount, currency), CouponDuration.Once, 1), CouponDuration.Once, 1, new DateOnly(2026, 1, 1), []), 1, 1);

    private static TaxRule Tax(string name, decimal rate, bool inclusive = false, string? jurisdiction = null) => new(name, name.ToUpperInvariant(), rate, inclusive, jurisdiction);

    /// <summary>base 100 + 25 reviews (20 at 4, 5 at 3) = 195; 8 reviews: 32, minimum 50 → true-up 18.</summary>
    private static InvoiceRequest Reviews(int count, string currency = "GBP", decimal? minimum = null) => Request(currency, Segment(
        Plan([Charge("review", Tiered(Dsl.Model.TierModeKind.Graduated, currency, (20m, 4m), (null, 3m)), currency: currency)], baseFee: 100m, minimum: minimum, currency: currency),
        Many("review", count)));

    [Fact]
    public void A_percentage_coupon_and_an_exclusive_tax_give_the_spec_figures()
    {
        var invoice = InvoiceAssembler.Assemble(Reviews(25) with { Coupons = [Percent("launch20", 0.20m)], Taxes = [Tax("gb_vat", 0.20m, jurisdiction: "GB")] });

        Assert.Equal(["base", "charge", "coupon", "tax"], invoice.Lines.Select(l => InvoiceNames.Of(l.Kind)));
        Assert.Equal([100.00m, 95.00m, -39.00m, 31.20m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal([20.00m, 19.00m, -7.80m], invoice.Lines.Take(3).Select(l => Assert.Single(l.Taxes).Amount));
        Assert.Empty(invoice.Lines[3].Taxes);
        var coupon = invoice.Lines[2];
        Assert.Equal(("launch20", "coupon, period 1 of 3", "−20% of 195.00 GBP = 39.00 GBP"), (coupon.Rule, coupon.Note, coupon.Breakdown.Single().Text));
        Assert.Equal("GB_VAT 20% (GB)", invoice.Lines[3].Description);
        Assert.Equal(new InvoiceTax("gb_vat", "GB_VAT", 0.20m, false, "GB", 156.00m, 31.20m), Assert.Single(invoice.Taxes));
        Assert.Equal((187.20m, 187.20m), (invoice.Subtotal, invoice.Total));
    }

    [Fact]
    public void Coupons_apply_after_the_minimum_in_clause_order_each_on_what_is_left()
    {
        var invoice = InvoiceAssembler.Assemble(Reviews(8, minimum: 50m) with
        {
            Coupons = [Percent("launch20", 0.20m, period: 2), Fixed("welcome", 50m, "GBP")],
            Taxes = [Tax("gb_vat", 0.20m)],
        });

        Assert.Equal([100.00m, 32.00m, 18.00m, -30.00m, -50.00m, 14.00m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(["base", "review", "minimum", "launch20", "welcome", "gb_vat"], invoice.Lines.Select(l => l.Rule));
        Assert.Equal(84.00m, invoice.Total);
    }

    [Fact]
    public void Two_ten_percent_coupons_are_nineteen_percent()
    {
        var invoice = InvoiceAssembler.Assemble(Reviews(0) with { Coupons = [Percent("a", 0.10m), Percent("b", 0.10m)] });

        Assert.Equal([100.00m, 0.00m, -10.00m, -9.00m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(81.00m, invoice.Total);
    }

    [Fact]
    public void A_fixed_coupon_larger_than_the_invoice_takes_it_to_zero_never_below()
    {
        var invoice = InvoiceAssembler.Assemble(Reviews(0, "USD") with { Coupons = [Fixed("big", 150m), Fixed("more", 10m)] });

        Assert.Equal([100.00m, 0.00m, -100.00m, 0.00m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal("150.00 USD, limited to the 100.00 USD left to discount", invoice.Lines[2].Breakdown[0].Text.TrimStart('−'));
        Assert.Equal("coupon, once; nothing left to discount", invoice.Lines[3].Note);
        Assert.Equal(0.00m, invoice.Total);
    }

    [Fact]
    public void Tax_is_rounded_per_line_so_it_may_differ_from_the_rate_times_the_sum()
    {
        // 10.10 × 8.25% = 0.83325 → 0.83 per line; 20.20 × 8.25% = 1.6665 would round to 1.67.
        var request = Request("USD", Segment(Plan([Charge("a", Unit(10.10m)), Charge("b", Unit(10.10m))]), [Outcome("a", 1), Outcome("b", 2)]))
            with { Taxes = [Tax("us_tx", 0.0825m)] };

        var invoice = InvoiceAssembler.Assemble(request);

        Assert.Equal([0.83m, 0.83m], invoice.Lines.Where(l => l.Kind == LineKind.Charge).Select(l => Assert.Single(l.Taxes).Amount));
        Assert.Equal(1.66m, invoice.Lines.Single(l => l.Kind == LineKind.Tax).Amount);
        Assert.Equal(21.86m, invoice.Total);
    }

    [Fact]
    public void An_inclusive_tax_is_extracted_per_line_and_adds_no_line()
    {
        // base 165 + 10 × 5.50 − 25 = 195.00 AUD; GST 10/110 per line: 15.00 + 5.00 − 2.27 = 17.73.
        var request = Request("AUD", Segment(Plan([Charge("review", Unit(5.50m, "AUD"), currency: "AUD")], baseFee: 165m, currency: "AUD"), Many("review", 10)))
            with { Coupons = [Fixed("loyalty", 25m, "AUD")], Taxes = [Tax("au_gst", 0.10m, inclusive: true, jurisdiction: "AU")] };

        var invoice = InvoiceAssembler.Assemble(request);

        Assert.Equal([165.00m, 55.00m, -25.00m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal([15.00m, 5.00m, -2.27m], invoice.Lines.Select(l => Assert.Single(l.Taxes).Amount));
        Assert.Equal(new InvoiceTax("au_gst", "AU_GST", 0.10m, true, "AU", 177.27m, 17.73m), Assert.Single(invoice.Taxes));
        Assert.Equal(195.00m, invoice.Total);
    }

    [Fact]
    public void Two_exclusive_taxes_apply_side_by_side_on_the_same_amounts()
    {
        var request = Reviews(0, "USD") with { Taxes = [Tax("state", 0.0625m), Tax("county", 0.01m)] };

        var invoice = InvoiceAssembler.Assemble(request);

        Assert.Equal([100.00m, 0.00m, 6.25m, 1.00m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal([6.25m, 1.00m], invoice.Taxes.Select(t => t.Amount));
        Assert.Equal(107.25m, invoice.Total);
    }

    [Fact]
    public void Without_coupons_or_taxes_the_invoice_is_what_it_was()
    {
        var plain = InvoiceAssembler.Assemble(Reviews(25));

        Assert.Equal(["base", "charge"], plain.Lines.Select(l => InvoiceNames.Of(l.Kind)));
        Assert.All(plain.Lines, l => Assert.Empty(l.Taxes));
        Assert.Empty(plain.Taxes);
        Assert.DoesNotContain("\"taxes\"", InvoiceJson.Serialize(plain));
    }

    [Fact]
    public void The_json_carries_line_taxes_and_the_invoice_tax_summary()
    {
        var invoice = InvoiceAssembler.Assemble(Reviews(25) with { Coupons = [Percent("launch20", 0.20m)], Taxes = [Tax("gb_vat", 0.20m, jurisdiction: "GB")] });

        var json = InvoiceJson.Serialize(invoice);

        Assert.Contains("\"taxes\": [\n        {\n          \"tax\": \"gb_vat\",\n          \"amount\": \"-7.80\"\n        }\n      ],", json);
        Assert.Contains("\"taxes\": [\n    {\n      \"tax\": \"gb_vat\",\n      \"label\": \"GB_VAT\",\n      \"rate\": \"20%\",\n      \"mode\": \"exclusive\",\n      \"jurisdiction\": \"GB\",\n      \"taxable\": \"156.00\",\n      \"amount\": \"31.20\"\n    }\n  ],\n  \"subtotal\": \"187.20\"", json);
        Assert.Contains("\"kind\": \"coupon\"", json);
    }
}
