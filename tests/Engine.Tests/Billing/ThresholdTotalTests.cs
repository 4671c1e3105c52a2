using System.Globalization;
using RulesBilling.Engine.Invoicing;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// <c>thresholds … on total</c>, docs/dsl-spec.md §10.9.2: the running amount counts the base fee as well as usage
/// (Stripe's <c>amount_gte</c>), from the start of the segment it belongs to, in arrears or in advance alike.
/// </summary>
public sealed class ThresholdTotalTests
{
    private static readonly string[] March =
    [
        Task("e1", "acme", "2026-03-02T10:00:00Z", 4),
        Task("e2", "acme", "2026-03-05T10:00:00Z", 7),
        Task("e3", "acme", "2026-03-09T10:00:00Z", 20),
        Task("e4", "acme", "2026-03-20T10:00:00Z", 10),
    ];

    private static string Rules(string thresholds, string base_ = "base 50 USD") =>
        ThresholdBillingTests.Rules(thresholds).Replace("base 50 USD", base_, StringComparison.Ordinal);

    [Fact]
    public void On_total_the_base_fee_counts_and_the_first_threshold_invoice_bills_it()
    {
        // Base 50 in arrears, 10 USD per unit, 100 and 250 then every 500. Mar 2: 50 + 40 = 90; Mar 5: 50 + 110 = 160,
        // threshold 100: 160.00 (base 50 + usage 110); Mar 9: 50 + 310 = 360, threshold 250: 360 − 160 = 200.00;
        // Mar 20: 460 < 750. The period: 50 + 410 − 360 = 100.00; 160 + 200 + 100 = 460. On usage the same events
        // give 110, 200 and 150.
        var invoices = Bill(Compile(Rules("thresholds 100 USD, 250 USD then every 500 USD on total")), March);

        Assert.Equal([InvoiceKind.Threshold, InvoiceKind.Threshold, InvoiceKind.Invoice], invoices.Select(i => i.Kind));
        Assert.Equal([160.00m, 200.00m, 100.00m], invoices.Select(i => i.Total));
        Assert.Equal([LineKind.Base, LineKind.Charge], invoices[0].Lines.Select(l => l.Kind));
        Assert.Equal((160m, "2026-03-05T10:00:00Z"), (invoices[0].Threshold!.UsageAmount, UtcTimestamp.Format(invoices[0].Threshold!.CrossedAt)));
        Assert.Equal([LineKind.Charge], invoices[1].Lines.Select(l => l.Kind));
        Assert.Equal([50.00m, 410.00m, -360.00m], invoices[2].Lines.Select(l => l.Amount));
        Assert.Equal(460.00m, invoices.Sum(i => i.Total));
    }

    [Fact]
    public void An_in_advance_base_fee_counts_in_full_from_the_period_start()
    {
        // Base 120 in advance, every 100 on total. Mar 1 00:00: 120, threshold 100: 120.00 with no event yet;
        // Mar 2: 160; Mar 5: 230, threshold 200: 110.00; Mar 9: 430, thresholds 300 and 400: 200.00; Mar 20: 530,
        // threshold 500: 100.00. The period: 120 + 410 − 530 = 0.00.
        var invoices = Bill(Compile(Rules("thresholds every 100 USD on total", "base 120 USD in advance")), March);

        Assert.Equal([120.00m, 110.00m, 200.00m, 100.00m, 0.00m], invoices.Select(i => i.Total));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), invoices[0].Threshold!.CrossedAt);
        Assert.Equal([LineKind.Base], invoices[0].Lines.Select(l => l.Kind));
        Assert.Equal("300,400", string.Join(",", invoices[2].Threshold!.Amounts.Select(a => a.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(BillOne(Compile(Rules("", "base 120 USD in advance")), March).Total, invoices.Sum(i => i.Total));
    }
}
