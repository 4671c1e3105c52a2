using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>Preview of a period that already has an invoice: the draft is a re-rating, and the result says which invoice stands.</summary>
public sealed class PreviewOfIssuedPeriodTests
{
    private static readonly DateTimeOffset March = At("2026-03-01T00:00:00Z");

    [Fact]
    public void Preview_of_a_finalized_period_names_the_invoice_and_the_adjustment_a_late_event_makes_pending()
    {
        using var store = new InMemoryBillingStore();
        Append(store, ClosedEvent("c1", "acme", "2026-03-05T00:00:00Z", "T-1"));
        var (engine, clock) = NewEngine(store, Rules(), "2026-04-02T00:00:00Z");
        Assert.Null(engine.Preview(T, "acme", March).Issued);
        var original = engine.Finalize(T, "acme", March);

        var standing = engine.Preview(T, "acme", March).Issued;
        Assert.Equal((original.Id, "INV-000001", InvoiceStatus.Finalized, 102.50m), (standing!.Id, standing.Number, standing.Status, standing.Total));
        Assert.Empty(standing.PendingCorrections);

        clock.Now = At("2026-04-03T00:00:00Z");
        Append(store, ClosedEvent("late", "acme", "2026-03-30T00:00:00Z", "T-9"));
        var pending = engine.Preview(T, "acme", March);
        Assert.Equal(105.00m, Assert.Single(pending.Invoices).Total);
        Assert.Equal([new PendingCorrection(InvoiceKind.Adjustment, 2.50m)], pending.Issued!.PendingCorrections);
        Assert.DoesNotContain(store.ListInvoices(T, "acme"), i => i.Kind != InvoiceKind.Invoice);

        var adjustment = Assert.Single(engine.Corrections(T, "acme"));
        var after = engine.Preview(T, "acme", March).Issued!;
        Assert.Equal([adjustment.Number!], after.Corrections);
        Assert.Empty(after.PendingCorrections);
    }

    [Fact]
    public void Preview_of_an_open_or_voided_period_has_no_issued_invoice()
    {
        using var store = new InMemoryBillingStore();
        Append(store, ClosedEvent("c1", "acme", "2026-03-05T00:00:00Z", "T-1"));
        var (engine, _) = NewEngine(store, Rules(), "2026-04-02T00:00:00Z");
        var original = engine.Finalize(T, "acme", March);
        engine.Void(T, original.Id);

        Assert.Null(engine.Preview(T, "acme", March).Issued);
        Assert.Null(engine.Preview(T, "acme", At("2026-04-02T00:00:00Z")).Issued);
    }
}
