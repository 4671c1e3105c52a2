using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Tests.Billing;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Payments;

/// <summary>Threshold invoices and the netted period invoice (docs/dsl-spec.md §10.9) are pushed like any invoice.</summary>
public sealed class ThresholdInvoiceSyncTests
{
    [Theory]
    [InlineData(PaymentProvider.Stripe)]
    [InlineData(PaymentProvider.Razorpay)]
    public async Task Threshold_invoices_and_the_netted_period_invoice_arrive_with_their_lines_and_totals(PaymentProvider provider)
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", provider);
        var rules = Compile(ThresholdBillingTests.Rules());
        var clock = new TestClock(new DateTimeOffset(2026, 3, 25, 0, 0, 0, TimeSpan.Zero));
        new EventIngestor(harness.Billing, clock).Ingest(PaymentHarness.Tenant, "[" + string.Join(",",
            Task("e1", "acme", "2026-03-02T10:00:00Z", 4), Task("e2", "acme", "2026-03-05T10:00:00Z", 7),
            Task("e3", "acme", "2026-03-09T10:00:00Z", 20), Task("e4", "acme", "2026-03-20T10:00:00Z", 10)) + "]", rules);
        var engine = new UseCases(harness.Billing, new FixedRuleSet(rules), clock, new PaymentOutbox(harness.Time));

        var thresholds = engine.IssueThresholdInvoices(PaymentHarness.Tenant, "acme");
        clock.Now = new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero);
        var period = engine.Finalize(PaymentHarness.Tenant, "acme", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var result = await harness.Worker().RunOnceAsync();

        Assert.Equal(3, result.Processed.Count);
        Assert.All(result.Processed, r => Assert.Equal(SyncStatus.Done, r.Status));
        var remote = thresholds.Append(period).Select(i => Assert.Single(RemoteView.Of(harness, provider, i))).ToList();
        Assert.Equal([11000L, 20000L, 15000L], remote.Select(r => r.Total));
        // The period's invoice carries its netting line as a negative item: 5000 + 41000 − 31000; Razorpay, whose line
        // items take no negative amount, gets it folded into the largest item: 5000 + 10000.
        Assert.Equal(provider == PaymentProvider.Stripe ? [5000L, 41000L, -31000L] : [5000L, 10000L], remote[2].Lines.Select(l => l.Amount));
    }

    [Theory]
    [InlineData(PaymentProvider.Stripe)]
    [InlineData(PaymentProvider.Razorpay)]
    public async Task Taxed_threshold_invoices_arrive_with_their_tax_lines_and_the_period_invoice_with_the_netted_tax(PaymentProvider provider)
    {
        // docs/dsl-spec.md §10.9.1: 10% coupon, 20% exclusive VAT; 118.80, 216.00 and 162.00 (ThresholdAdjustmentTests).
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", provider);
        var rules = Compile(ThresholdAdjustmentTests.Rules("thresholds 100 USD, 250 USD then every 500 USD", "", ""));
        var clock = new TestClock(new DateTimeOffset(2026, 3, 25, 0, 0, 0, TimeSpan.Zero));
        new EventIngestor(harness.Billing, clock).Ingest(PaymentHarness.Tenant, "[" + string.Join(",",
            Task("e1", "acme", "2026-03-02T10:00:00Z", 4), Task("e2", "acme", "2026-03-05T10:00:00Z", 7),
            Task("e3", "acme", "2026-03-09T10:00:00Z", 20), Task("e4", "acme", "2026-03-20T10:00:00Z", 10)) + "]", rules);
        var engine = new UseCases(harness.Billing, new FixedRuleSet(rules), clock, new PaymentOutbox(harness.Time));

        var thresholds = engine.IssueThresholdInvoices(PaymentHarness.Tenant, "acme");
        clock.Now = new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero);
        var period = engine.Finalize(PaymentHarness.Tenant, "acme", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var result = await harness.Worker().RunOnceAsync();

        Assert.All(result.Processed, r => Assert.Equal(SyncStatus.Done, r.Status));
        var remote = thresholds.Append(period).Select(i => Assert.Single(RemoteView.Of(harness, provider, i))).ToList();
        Assert.Equal([11880L, 21600L, 16200L], remote.Select(r => r.Total));
        if (provider == PaymentProvider.Stripe)
        {
            Assert.Equal([11000L, -1100L, 1980L], remote[0].Lines.Select(l => l.Amount));
            // Base, usage, coupon, VAT netted (8280 − 5580), threshold credit.
            Assert.Equal([5000L, 41000L, -4600L, 2700L, -27900L], remote[2].Lines.Select(l => l.Amount));
        }
        else
        {
            // Razorpay takes no negative item (docs/payments.md): the coupon and the threshold credit are folded into
            // the largest positive items, the VAT stays its own item.
            Assert.Equal([9900L, 1980L], remote[0].Lines.Select(l => l.Amount));
            Assert.Equal([5000L, 8500L, 2700L], remote[2].Lines.Select(l => l.Amount)); // 41000 − 4600 − 27900 = 8500
        }
    }
}
