using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>Preview, finalize, release, void, corrections and credit grants of one customer, driven through <see cref="UseCases"/>.</summary>
public class InvoiceUseCaseTests
{
    private static readonly DateTimeOffset March = At("2026-03-01T00:00:00Z");

    private static InMemoryBillingStore MarchStore(params StoredEvent[] extra)
    {
        var store = new InMemoryBillingStore();
        Append(store,
            ClosedEvent("e1", "acme", "2026-03-02T10:00:00Z", "T-1"),
            ClosedEvent("e2", "acme", "2026-03-10T10:00:00Z", "T-2"),
            ClosedEvent("e3", "acme", "2026-03-11T10:00:00Z", "T-2", source: "agent-b"),
            ClosedEvent("e4", "acme", "2026-04-01T00:00:00Z", "T-3"));
        if (extra.Length > 0) Append(store, extra);
        return store;
    }

    [Fact]
    public void Preview_drafts_the_period_and_stores_nothing()
    {
        using var store = MarchStore();
        var (engine, _) = NewEngine(store, Rules(), "2026-03-20T00:00:00Z");

        var result = engine.Preview(T, "acme");

        var invoice = Assert.Single(result.Invoices);
        Assert.Empty(result.Errors);
        Assert.Equal((InvoiceStatus.Draft, (string?)null, March, At("2026-04-01T00:00:00Z")), (invoice.Status, invoice.Number, invoice.PeriodFrom, invoice.PeriodTo));
        Assert.Equal([(LineKind.Base, 100m), (LineKind.Charge, 5.00m)], invoice.Lines.Select(l => (l.Kind, l.Amount)));
        var charge = invoice.Lines[1];
        Assert.Equal(["agent-a/e1", "agent-a/e2"], charge.Events);
        Assert.Equal([("agent-b/e3", ExclusionReasons.DuplicateKey)], charge.Excluded.Select(x => (x.Id, x.Reason)));
        Assert.Equal(105m, invoice.Total);
        Assert.Empty(store.ListInvoices(T));
    }

    [Fact]
    public void Preview_shows_outcomes_still_in_their_window_at_the_period_end_as_pending()
    {
        using var store = new InMemoryBillingStore();
        Append(store, ClosedEvent("e1", "acme", "2026-03-05T00:00:00Z", "T-1"), ClosedEvent("e2", "acme", "2026-03-28T00:00:00Z", "T-2"));
        var (engine, _) = NewEngine(store, Rules(Resolved with { Hold = Hold7d }), "2026-04-10T00:00:00Z");

        var march = Assert.Single(engine.Preview(T, "acme", March).Invoices);
        var april = Assert.Single(engine.Preview(T, "acme", At("2026-04-15T00:00:00Z")).Invoices);

        var charge = march.Lines.Single(l => l.Kind == LineKind.Charge);
        Assert.Equal(["agent-a/e1"], charge.Events);
        // Pending is not excluded: listed with the instant it becomes billable, then billed in April.
        Assert.Empty(charge.Excluded);
        Assert.Equal([new PendingOutcome("agent-a/e2", At("2026-04-04T00:00:00Z"))], charge.Pending);
        Assert.Equal(["agent-a/e2"], april.Lines.Single(l => l.Kind == LineKind.Charge).Events);
    }

    [Fact]
    public void Finalize_refuses_a_period_that_has_not_ended()
    {
        using var store = MarchStore();
        var (engine, _) = NewEngine(store, Rules(), "2026-03-31T23:59:59Z");

        var error = Assert.Throws<BillingException>(() => engine.Finalize(T, "acme", March));
        Assert.Contains("has not ended", error.Message);
        Assert.Empty(store.ListInvoices(T));
    }

    [Fact]
    public void Finalize_numbers_gap_free_and_is_idempotent()
    {
        using var store = MarchStore(ClosedEvent("g1", "globex", "2026-03-03T00:00:00Z", "G-1"));
        var (engine, _) = NewEngine(store, Rules(), "2026-04-02T00:00:00Z");

        var first = engine.Finalize(T, "acme", March);
        var again = engine.Finalize(T, "acme", At("2026-03-15T00:00:00Z"));
        var globex = engine.Finalize(T, "globex", March);

        Assert.Equal((InvoiceStatus.Finalized, "INV-000001", 105m), (first.Status, first.Number, first.Total));
        Assert.Equal(InvoiceJson.Serialize(first), InvoiceJson.Serialize(again));
        Assert.Equal("INV-000002", globex.Number);
        Assert.Equal(2, store.ListInvoices(T).Count);
        Assert.Equal(InvoiceJson.Serialize(first), InvoiceJson.Serialize(store.FindInvoice(T, first.Id)!));
    }

    [Fact]
    public void A_held_invoice_is_stored_held_until_released_then_finalizes()
    {
        var guard = new GuardRule("volume-check", c => c.Count(null) >= 2m, "count() >= 2", GuardActionType.Hold, null, Here);
        var rules = Rules(plan: Standard with { Guards = [guard] });
        using var store = MarchStore();
        var (engine, _) = NewEngine(store, rules, "2026-04-02T00:00:00Z");

        var held = engine.Finalize(T, "acme", March);
        var stillHeld = engine.Finalize(T, "acme", March);

        Assert.Equal((InvoiceStatus.Held, (string?)null), (held.Status, held.Number));
        Assert.Equal(InvoiceJson.Serialize(held), InvoiceJson.Serialize(stillHeld));
        Assert.True(Assert.Single(held.Guards).Triggered);
        Assert.Equal(InvoiceStatus.Held, store.FindInvoice(T, held.Id)!.Status);

        Assert.Equal(InvoiceStatus.Draft, engine.Release(T, held.Id).Status);
        var finalized = engine.Finalize(T, "acme", March);

        Assert.Equal((held.Id, InvoiceStatus.Finalized, "INV-000001"), (finalized.Id, finalized.Status, finalized.Number));
        Assert.Single(store.ListInvoices(T));
        Assert.Throws<BillingException>(() => engine.Release(T, finalized.Id));
    }

    [Fact]
    public void Rating_errors_are_surfaced_by_preview_and_block_finalize()
    {
        var rule = Resolved with
        {
            Quantity = e => e.Id == "e2" ? throw new RuleEvaluationException("RB0902", "overflow", Here) : 1m,
        };
        using var store = MarchStore();
        var (engine, _) = NewEngine(store, Rules(rule), "2026-04-02T00:00:00Z");

        var preview = engine.Preview(T, "acme", March);
        var error = Assert.Throws<BillingException>(() => engine.Finalize(T, "acme", March));

        Assert.Equal("RB0902", Assert.Single(preview.Errors).Code);
        Assert.Contains(preview.Invoices[0].Lines[1].Excluded, x => x.Reason == ExclusionReasons.RatingError && x.Id == "agent-a/e2");
        Assert.Equal(preview.Errors, error.Errors);
        Assert.Contains("tickets.rules:1:1: error RB0902: overflow", error.Message);
        Assert.Empty(store.ListInvoices(T));
    }

    [Fact]
    public void An_error_in_another_period_does_not_block_this_one()
    {
        var rule = Resolved with { Quantity = e => (string)e.Fields[0]! == "T-3" ? -1m : 1m };
        using var store = MarchStore();
        var (engine, _) = NewEngine(store, Rules(rule), "2026-04-02T00:00:00Z");

        Assert.Equal("INV-000001", engine.Finalize(T, "acme", March).Number);
        Assert.Equal("RB0903", Assert.Single(engine.Preview(T, "acme", At("2026-04-05T00:00:00Z")).Errors).Code);
    }

    [Fact]
    public void A_mid_period_version_change_bills_each_segment_under_its_version_with_prorated_base()
    {
        var premium = Standard with { Name = "premium", BaseFee = PriceList.Single("USD", 310m), Charges = [ResolvedCharge with { Model = new UnitModel(PriceList.Single("USD", 4m)) }] };
        var contracts = new[] { StandardV1, Contracts.Version("standard", 2, "2026-03-11", pricing: "premium") };
        var rules = Set([Resolved], pricings: [Standard, premium], contracts: contracts);
        using var store = MarchStore();
        var (engine, _) = NewEngine(store, rules, "2026-04-02T00:00:00Z");

        var invoice = engine.Finalize(T, "acme", March);

        Assert.Equal([1, 2], invoice.Versions);
        Assert.Equal(
        [
            (1, LineKind.Base, 32.26m),   // 100 × 10/31
            (1, LineKind.Charge, 5.00m),  // T-1, T-2 before Mar 11
            (2, LineKind.Base, 210.00m),  // 310 × 21/31
            (2, LineKind.Charge, 0m),     // T-2 again on Mar 11 is a duplicate
        ], invoice.Lines.Select(l => (l.Version, l.Kind, l.Amount)));
        Assert.Equal(invoice.Lines.Sum(l => l.Amount), invoice.Subtotal);
    }

    [Fact]
    public void Void_gives_credits_back_and_the_period_can_be_finalized_again_as_a_new_invoice()
    {
        using var store = MarchStore();
        var (engine, _) = NewEngine(store, Rules(), "2026-04-02T00:00:00Z");
        var grant = engine.GrantCredits(T, "acme", 30m, "USD");
        var first = engine.Finalize(T, "acme", March);

        var voided = engine.Void(T, first.Id);
        var voidedAgain = engine.Void(T, first.Id);
        var second = engine.Finalize(T, "acme", March);

        Assert.Equal(30m, first.CreditsApplied);
        Assert.Equal((InvoiceStatus.Void, "INV-000001"), (voided.Status, voided.Number));
        Assert.Equal(InvoiceJson.Serialize(voided), InvoiceJson.Serialize(voidedAgain));
        Assert.Equal(
        [
            (CreditLedgerKinds.Grant, 30m, 30m),
            (CreditLedgerKinds.Consumption, -30m, 0m),
            (CreditLedgerKinds.Reversal, 30m, 30m),
            (CreditLedgerKinds.Consumption, -30m, 0m),
        ], store.ReadLedger(T, "acme").Select(e => (e.Kind, e.Amount, e.BalanceAfter)));
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(("INV-000002", InvoiceStatus.Finalized, 30m, 75m), (second.Number, second.Status, second.CreditsApplied, second.Total));
        Assert.Equal(grant.Id, Assert.Single(second.Credits).GrantId);
        Assert.Equal(InvoiceStatus.Void, store.FindInvoice(T, first.Id)!.Status);
    }

    [Fact]
    public void Credits_are_consumed_across_two_invoices_in_priority_order()
    {
        using var store = MarchStore();
        var (engine, clock) = NewEngine(store, Rules(), "2026-03-01T00:00:00Z");
        var later = engine.GrantCredits(T, "acme", 80m, "USD", priority: 5, grantId: "g-later");
        var first = engine.GrantCredits(T, "acme", 60m, "USD", priority: 1, grantId: "g-first");
        Assert.Equal(first, engine.GrantCredits(T, "acme", 60m, "USD", priority: 1, grantId: "g-first"));
        Assert.Throws<BillingException>(() => engine.GrantCredits(T, "acme", 61m, "USD", priority: 1, grantId: "g-first"));

        clock.Now = At("2026-05-02T00:00:00Z");
        var marchInvoice = engine.Finalize(T, "acme", March);
        var aprilInvoice = engine.Finalize(T, "acme", At("2026-04-01T00:00:00Z"));

        Assert.Equal([new CreditApplication("g-first", 60m), new CreditApplication("g-later", 45m)], marchInvoice.Credits);
        Assert.Equal((105m, 0m), (marchInvoice.CreditsApplied, marchInvoice.Total));
        Assert.Equal([new CreditApplication("g-later", 35m)], aprilInvoice.Credits);
        Assert.Equal((102.50m, 35m, 67.50m), (aprilInvoice.Subtotal, aprilInvoice.CreditsApplied, aprilInvoice.Total));
        var balances = CreditApplier.Balances(store.ListGrants(T, "acme"), store.ReadLedger(T, "acme"));
        Assert.All(balances, b => Assert.Equal(0m, b.Balance));
        Assert.Equal(later.Amount, store.ReadLedger(T, "acme").Where(e => e.GrantId == "g-later" && e.Kind == CreditLedgerKinds.Consumption).Sum(e => -e.Amount));
    }

    [Fact]
    public void Bad_credit_grants_are_refused_with_a_clear_error()
    {
        using var store = new InMemoryBillingStore();
        var (engine, _) = NewEngine(store, Rules(), "2026-03-01T00:00:00Z");

        Assert.Contains("unknown currency", Assert.Throws<BillingException>(() => engine.GrantCredits(T, "acme", 10m, "XYZ")).Message);
        Assert.Contains("positive", Assert.Throws<BillingException>(() => engine.GrantCredits(T, "acme", 0.001m, "USD")).Message);
        Assert.Contains("past", Assert.Throws<BillingException>(() => engine.GrantCredits(T, "acme", 1m, "USD", expiresAt: At("2026-02-01T00:00:00Z"))).Message);
        Assert.Empty(store.ListGrants(T, "acme"));
    }

    [Fact]
    public void A_reversal_arriving_after_billing_issues_a_credit_note_once_and_never_edits_the_original()
    {
        var rules = Rules(Resolved with { Hold = Hold7d });
        using var store = new InMemoryBillingStore();
        Append(store, ClosedEvent("c1", "acme", "2026-03-05T00:00:00Z", "T-1"), ClosedEvent("c2", "acme", "2026-03-10T00:00:00Z", "T-2"));
        var (engine, clock) = NewEngine(store, rules, "2026-04-02T00:00:00Z");
        var original = engine.Finalize(T, "acme", March);
        var originalJson = InvoiceJson.Serialize(original);
        Assert.Equal(5.00m, original.Lines.Single(l => l.Kind == LineKind.Charge).Amount);

        // The reopen happened inside T-2's window but reaches us after the invoice was finalized.
        clock.Now = At("2026-04-05T00:00:00Z");
        Append(store, ReopenedEvent("r1", "acme", "2026-03-14T00:00:00Z", "T-2"));
        var issued = engine.Corrections(T, "acme");
        var secondRun = engine.Corrections(T, "acme");

        var note = Assert.Single(issued);
        Assert.Equal((InvoiceKind.CreditNote, original.Id, "INV-000002", InvoiceStatus.Finalized), (note.Kind, note.Corrects, note.Number, note.Status));
        var line = Assert.Single(note.Lines);
        Assert.Equal((LineKind.Correction, -2.50m, -1m), (line.Kind, line.Amount, line.Quantity));
        Assert.Equal([new LineStep("correction", "re-rated 2.50 USD − billed 5.00 USD", null, null, -2.50m)], line.Breakdown);
        Assert.Equal(original.Lines.Single(l => l.Kind == LineKind.Charge).Id, line.Id);
        Assert.Equal([("agent-a/c2", ExclusionReasons.ReversedWithinWindow)], line.Excluded.Select(x => (x.Id, x.Reason)));
        Assert.Equal((-2.50m, -2.50m), (note.Subtotal, note.Total));
        Assert.Empty(secondRun);
        Assert.Equal(originalJson, InvoiceJson.Serialize(store.FindInvoice(T, original.Id)!));
        Assert.Throws<BillingException>(() => engine.Void(T, original.Id));
    }

    [Fact]
    public void A_late_event_for_a_finalized_period_issues_an_adjustment_invoice()
    {
        using var store = MarchStore();
        var (engine, clock) = NewEngine(store, Rules(), "2026-04-02T00:00:00Z");
        var original = engine.Finalize(T, "acme", March);
        Assert.Empty(engine.Corrections(T, "acme"));

        clock.Now = At("2026-04-03T00:00:00Z");
        Append(store, ClosedEvent("late", "acme", "2026-03-30T00:00:00Z", "T-9"), ClosedEvent("dup", "acme", "2026-03-31T00:00:00Z", "T-1"));
        var adjustment = Assert.Single(engine.Corrections(T, "acme"));

        Assert.Equal((InvoiceKind.Adjustment, original.Id, 2.50m), (adjustment.Kind, adjustment.Corrects, adjustment.Total));
        Assert.Equal(["agent-a/late"], Assert.Single(adjustment.Lines).Events);
        Assert.Empty(engine.Corrections(T, "acme"));
        Assert.Equal([InvoiceKind.Invoice, InvoiceKind.Adjustment], store.ListInvoices(T, "acme").Select(i => i.Kind).Order());
    }

    [Fact]
    public void Unknown_invoices_and_customers_without_contract_are_clear_errors()
    {
        using var store = new InMemoryBillingStore();
        var (engine, _) = NewEngine(store, Rules(contracts: [Contracts.Version("pilot", 1, "2026-05-01")]), "2026-04-02T00:00:00Z");

        Assert.Contains("no contract governs customer 'acme'", Assert.Throws<BillingException>(() => engine.Finalize(T, "acme", March)).Message);
        Assert.Contains("no invoice 'nope'", Assert.Throws<BillingException>(() => engine.Void(T, "nope")).Message);
    }
}
