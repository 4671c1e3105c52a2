using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// A fixed <c>once</c> coupon carried into a period with thresholds (docs/dsl-spec.md §9.14.1, §10.9.1): the threshold
/// invoice spends what earlier periods left of it, as the period's invoice does, in the background check, on finalize
/// and in the dry run alike.
/// </summary>
public sealed class CarriedCouponThresholdTests
{
    // Base 50 USD, 10 USD a unit, 20% exclusive VAT, a 150 USD once coupon, one threshold at 100 USD of usage.
    private static readonly string Text = ThresholdAdjustmentTests.Rules("thresholds 100 USD", "amount 150 USD\n  once", "");

    // March: 4 units (40 USD), under the threshold. April: 4 + 7 units, 110 USD of usage from Apr 5.
    private static readonly string[] Events =
    [
        Task("e1", "acme", "2026-03-02T10:00:00Z", 4),
        Task("e2", "acme", "2026-04-02T10:00:00Z", 4),
        Task("e3", "acme", "2026-04-05T10:00:00Z", 7),
    ];

    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset April = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_threshold_invoice_of_the_second_period_spends_what_the_first_left_of_the_coupon()
    {
        using var store = new InMemoryBillingStore();
        var rules = Compile(Text);
        var clock = new TestClock(new DateTimeOffset(2026, 4, 1, 1, 0, 0, TimeSpan.Zero));
        new EventIngestor(store, clock).Ingest(Tenant.Default, "[" + string.Join(",", Events) + "]", rules);
        var engine = new UseCases(store, new FixedRuleSet(rules), clock);

        // March: 50 + 40 = 90, the coupon takes all 90 (VAT 10 + 8 − 18 = 0), 60 USD of it left.
        var march = engine.Finalize(Tenant.Default, "acme", March);
        Assert.Equal((-90.00m, 0.00m), (march.Lines.Single(l => l.Kind == LineKind.Coupon).Amount, march.Total));

        // Apr 5: usage 110 reaches 100; the 60 left discount it: 110 − 60 = 50, VAT 22 − 12 = 10, total 60.
        clock.Now = new DateTimeOffset(2026, 4, 6, 0, 0, 0, TimeSpan.Zero);
        var threshold = Assert.Single(engine.CheckThresholds(Tenant.Default, "acme").Issued);
        Assert.Equal([LineKind.Charge, LineKind.Coupon, LineKind.Tax], threshold.Lines.Select(l => l.Kind));
        Assert.Equal([110.00m, -60.00m, 10.00m], threshold.Lines.Select(l => l.Amount));
        Assert.Equal("−60.00 USD: 150.00 USD of 150.00 USD used, 0.00 USD left", threshold.Lines[1].Breakdown.Single().Text);
        Assert.Equal(60.00m, threshold.Total);

        // April: base 50 + usage 110 − coupon 60 = 100, VAT 20; the threshold invoice billed 50 and 10 of VAT: 50 + 10 = 60.
        clock.Now = new DateTimeOffset(2026, 5, 2, 0, 0, 0, TimeSpan.Zero);
        var april = engine.Finalize(Tenant.Default, "acme", April);
        Assert.Equal([50.00m, 110.00m, -60.00m, 10.00m, -50.00m],
            april.Lines.Select(l => l.Amount));
        Assert.Equal(60.00m, april.Total);
        Assert.Equal(10.00m, Assert.Single(april.Taxes).Amount);

        // Without thresholds, April is 100 + 20 of VAT: the two documents bill exactly that.
        var without = Bill(Compile(ThresholdAdjustmentTests.Rules("", "amount 150 USD\n  once", "")), Events);
        Assert.Equal(threshold.Total + april.Total, without.Single(i => i.PeriodFrom == April).Total);
    }

    [Fact]
    public void Simulate_gives_the_documents_and_totals_of_the_check_and_finalize()
    {
        var rules = Compile(Text);
        using var store = new InMemoryBillingStore();
        var clock = new TestClock(new DateTimeOffset(2026, 4, 1, 1, 0, 0, TimeSpan.Zero));
        new EventIngestor(store, clock).Ingest(Tenant.Default, "[" + string.Join(",", Events) + "]", rules);
        var engine = new UseCases(store, new FixedRuleSet(rules), clock);
        engine.Finalize(Tenant.Default, "acme", March);
        clock.Now = new DateTimeOffset(2026, 5, 2, 0, 0, 0, TimeSpan.Zero);
        // Finalize issues the threshold invoice no check issued first (§10.9), then the period's invoice.
        engine.Finalize(Tenant.Default, "acme", April);

        var issued = store.ListInvoices(Tenant.Default, "acme").OrderBy(i => i.Number, StringComparer.Ordinal)
            .Select(i => (i.Kind, i.Id, i.Subtotal, i.Total)).ToList();
        var simulated = Bill(rules, Events).Select(i => (i.Kind, i.Id, i.Subtotal, i.Total)).ToList();
        Assert.Equal([(InvoiceKind.Invoice, 0.00m), (InvoiceKind.Threshold, 60.00m), (InvoiceKind.Invoice, 60.00m)],
            simulated.Select(i => (i.Kind, i.Total)));
        Assert.Equal(simulated, issued);
    }
}
