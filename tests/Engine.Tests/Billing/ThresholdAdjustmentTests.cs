using RulesBilling.Engine.Accounting;
using RulesBilling.Engine.Invoicing;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// Threshold invoices with coupons and taxes, docs/dsl-spec.md §10.9.1. Figures by hand, on the §10.9 example (base
/// 50 USD, 10 USD per unit, thresholds 100 and 250 USD then every 500; 4, 7, 20, 10 units on March 2, 5, 9, 20) with
/// a 10% coupon and a 20% exclusive VAT:
/// <list type="bullet">
/// <item>threshold 1 (Mar 5, usage 110): 110.00 (VAT 22.00), coupon −11.00 (VAT −2.20), VAT 19.80: 118.80;</item>
/// <item>threshold 2 (Mar 9, usage 310; 310 and −31 as of then, less what the first billed): 200.00 (VAT 40.00), coupon
/// −20.00 (VAT −4.00), VAT 36.00: 216.00;</item>
/// <item>the period: base 50.00 (10.00), usage 410.00 (82.00), coupon 10% of 460 = −46.00 (−9.20), threshold credit
/// −(99 + 180) = −279.00 (VAT −55.80), VAT 82.80 − 55.80 = 27.00: 162.00.</item>
/// </list>
/// 118.80 + 216.00 + 162.00 = 496.80 = 460 − 46 + 82.80, the invoice without thresholds; VAT 19.80 + 36.00 + 27.00 = 82.80.
/// </summary>
public sealed class ThresholdAdjustmentTests
{
    public static string Rules(string thresholds, string coupon, string tax, string model = "unit 10 USD") => Tasks + $$"""
        pricing metered {
          base 50 USD
          charge task {
            {{model}}
          }
        }

        coupon ten {
          {{(coupon.Length == 0 ? "percent 10%\n  forever" : coupon)}}
        }

        tax vat {
          {{(tax.Length == 0 ? "rate 20% exclusive" : tax)}}
          label "VAT"
        }

        contract plan version 1 effective 2026-01-01 {
          customers "acme"
          pricing metered
          {{thresholds}}
          coupon ten
          tax vat
        }
        """;

    private static readonly string[] March =
    [
        Task("e1", "acme", "2026-03-02T10:00:00Z", 4),
        Task("e2", "acme", "2026-03-05T10:00:00Z", 7),
        Task("e3", "acme", "2026-03-09T10:00:00Z", 20),
        Task("e4", "acme", "2026-03-20T10:00:00Z", 10),
    ];

    private const string Schedule = "thresholds 100 USD, 250 USD then every 500 USD";

    [Fact]
    public void Threshold_invoices_carry_the_coupon_and_the_per_line_tax_of_what_they_bill()
    {
        var invoices = Bill(Compile(Rules(Schedule, "", "")), March);

        Assert.Equal([InvoiceKind.Threshold, InvoiceKind.Threshold, InvoiceKind.Invoice], invoices.Select(i => i.Kind));
        var (first, second, period) = (invoices[0], invoices[1], invoices[2]);
        Assert.Equal([LineKind.Charge, LineKind.Coupon, LineKind.Tax], first.Lines.Select(l => l.Kind));
        Assert.Equal([110.00m, -11.00m, 19.80m], first.Lines.Select(l => l.Amount));
        Assert.Equal([22.00m, -2.20m], first.Lines.Take(2).Select(l => Assert.Single(l.Taxes).Amount));
        Assert.Equal((110.00m, 118.80m), (first.Threshold!.UsageAmount, first.Total));
        Assert.Equal((99.00m, 19.80m), (Assert.Single(first.Taxes).Taxable, first.Taxes[0].Amount));

        Assert.Equal([200.00m, -20.00m, 36.00m], second.Lines.Select(l => l.Amount));
        Assert.Equal([40.00m, -4.00m], second.Lines.Take(2).Select(l => Assert.Single(l.Taxes).Amount));
        Assert.Equal(first.Lines.Select(l => l.Id), second.Lines.Select(l => l.Id));
        Assert.Equal(216.00m, second.Total);

        Assert.Equal([LineKind.Base, LineKind.Charge, LineKind.Coupon, LineKind.Tax, LineKind.ThresholdCredit], period.Lines.Select(l => l.Kind));
        Assert.Equal([50.00m, 410.00m, -46.00m, 27.00m, -279.00m], period.Lines.Select(l => l.Amount));
        var credit = period.Lines[^1];
        Assert.Equal(-55.80m, Assert.Single(credit.Taxes).Amount);
        Assert.Equal($"nets {first.Id} (99.00 USD), {second.Id} (180.00 USD)", credit.Note);
        var vat = period.Lines[3];
        Assert.Equal([82.80m, -55.80m], vat.Breakdown.Select(s => s.Amount));
        Assert.Equal((135.00m, 27.00m), (Assert.Single(period.Taxes).Taxable, period.Taxes[0].Amount));
        Assert.Equal(162.00m, period.Total);

        var without = BillOne(Compile(Rules("", "", "")), March);
        Assert.Equal(496.80m, without.Total);
        Assert.Equal(without.Total, invoices.Sum(i => i.Total));
        Assert.Equal(without.Taxes[0].Amount, invoices.Sum(i => i.Taxes[0].Amount));
        // What the journal posts to tax payable (2300) is the same split: each document's own tax.
        Assert.Equal([19.80m, 36.00m, 27.00m], invoices.Select(DocumentTax.Payable));
    }

    [Fact]
    public void An_inclusive_tax_is_extracted_from_each_threshold_invoice_and_credited_per_line()
    {
        // 10% inclusive: tax in a line of A is A × 0.1 / 1.1, rounded per line. Threshold 1: 110 (10.00), −11 (−1.00):
        // 99.00 holding 9.00. Threshold 2: 200 (310 → 28.18, less 10.00 = 18.18), −20 (−31 → −2.82, less −1.00 = −1.82):
        // 180.00 holding 16.36. The period: base 50 (4.55), 410 (37.27), −46 (−4.18), credit −279 (−25.36): 135.00
        // holding 12.28. 9.00 + 16.36 + 12.28 = 37.64 = 4.55 + 37.27 − 4.18, the tax without thresholds.
        var invoices = Bill(Compile(Rules(Schedule, "", "rate 10% inclusive")), March);

        Assert.Equal([99.00m, 180.00m, 135.00m], invoices.Select(i => i.Total));
        Assert.Equal([9.00m, 16.36m, 12.28m], invoices.Select(i => Assert.Single(i.Taxes).Amount));
        Assert.Equal([18.18m, -1.82m], invoices[1].Lines.Select(l => Assert.Single(l.Taxes).Amount));
        Assert.Equal(-25.36m, Assert.Single(invoices[2].Lines[^1].Taxes).Amount);
        Assert.DoesNotContain(invoices.SelectMany(i => i.Lines), l => l.Kind == LineKind.Tax);

        var without = BillOne(Compile(Rules("", "", "rate 10% inclusive")), March);
        Assert.Equal((414.00m, 37.64m), (without.Total, without.Taxes[0].Amount));
        Assert.Equal([9.00m, 16.36m, 12.28m], invoices.Select(DocumentTax.Payable));
    }

    [Fact]
    public void A_fixed_coupon_is_spent_on_the_first_threshold_invoice_and_the_period_keeps_the_rest()
    {
        // amount 30 USD forever: threshold 1 bills 110 − 30 = 80 (+ 16.00 VAT), threshold 2 bills 200 (+ 40.00); the
        // period: 50 + 410 − 30 − (80 + 200) = 150 + VAT (10 + 82 − 6 − 16 − 40 = 30.00).
        var invoices = Bill(Compile(Rules(Schedule, "amount 30 USD\n  forever", "")), March);

        Assert.Equal([96.00m, 240.00m, 180.00m], invoices.Select(i => i.Total));
        Assert.Equal([LineKind.Charge, LineKind.Tax], invoices[1].Lines.Select(l => l.Kind));
        Assert.Equal(BillOne(Compile(Rules("", "amount 30 USD\n  forever", "")), March).Total, invoices.Sum(i => i.Total));
    }
}
