using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Invoicing;

public sealed class InvoiceAssemblerTests
{
    private static readonly DateTimeOffset Jan15 = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Base_fee_and_unit_charge()
    {
        // base 99.00 + 10 × 2.00 = 119.00
        var invoice = Assemble(Segment(Plan([Charge("resolved", Unit(2m))], baseFee: 99m), Many("resolved", 10)));
        Assert.Equal([LineKind.Base, LineKind.Charge], invoice.Lines.Select(l => l.Kind));
        Assert.Equal(99.00m, invoice.Lines[0].Amount);
        var charge = invoice.Lines[1];
        Assert.Equal(20.00m, charge.Amount);
        Assert.Equal(10m, charge.Quantity);
        Assert.Equal(2m, charge.UnitPrice);
        Assert.Equal("resolved", charge.Rule);
        Assert.Equal("hash-v1", charge.RuleFileHash);
        Assert.Equal(Enumerable.Range(1, 10).Select(n => $"test/e{n:D4}"), charge.Events);
        Assert.Equal(119.00m, invoice.Subtotal);
        Assert.Equal(119.00m, invoice.Total);
        Assert.Equal(0m, invoice.CreditsApplied);
        Assert.Equal(InvoiceStatus.Draft, invoice.Status);
        Assert.Equal([1], invoice.Versions);
        Assert.Null(invoice.Number);
        Assert.Equal("ruleset-hash", invoice.RuleSetHash);
    }

    [Fact]
    public void Zero_usage_charge_line_is_kept_and_shows_exclusions()
    {
        var excluded = new ExcludedEvent("test/e0009", "resolved", ExclusionReasons.FailedCondition, "when: status == \"resolved\"");
        var invoice = Assemble(Segment(Plan([Charge("resolved", Unit(2m))]), excluded: [excluded]));
        var line = Assert.Single(invoice.Lines);
        Assert.Equal(0m, line.Quantity);
        Assert.Equal(0m, line.Amount);
        Assert.Empty(line.Events);
        Assert.Equal([new LineExclusion("test/e0009", "failed-condition", "when: status == \"resolved\"")], line.Excluded);
        Assert.Equal(0m, invoice.Subtotal);
    }

    [Fact]
    public void Outcomes_go_to_the_first_matching_charge_and_unmatched_are_excluded()
    {
        // gold: 1 × 2.00; silver: 1 × 1.00; bronze matches no charge → excluded on resolved's first line.
        Func<IReadOnlyDictionary<string, string?>, bool> Tier(string tier) => d => d.GetValueOrDefault("tier") == tier;
        var plan = Plan([
            Charge("resolved", Unit(2m), filter: Tier("gold"), filterText: "tier == \"gold\""),
            Charge("resolved", Unit(1m), filter: Tier("silver"), filterText: "tier == \"silver\""),
        ]);
        Dictionary<string, string?> Dims(string tier) => new() { ["tier"] = tier };
        var outcomes = new[] { Outcome("resolved", 1, dimensions: Dims("gold")), Outcome("resolved", 2, dimensions: Dims("silver")), Outcome("resolved", 3, dimensions: Dims("bronze")) };
        var invoice = Assemble(Segment(plan, outcomes));

        Assert.Equal(["resolved where tier == \"gold\"", "resolved where tier == \"silver\""], invoice.Lines.Select(l => l.Rule));
        Assert.Equal(["test/e0001"], invoice.Lines[0].Events);
        Assert.Equal(["test/e0002"], invoice.Lines[1].Events);
        var excluded = Assert.Single(invoice.Lines[0].Excluded);
        Assert.Equal(("test/e0003", ExclusionReasons.NoMatchingCharge), (excluded.Id, excluded.Reason));
        Assert.Empty(invoice.Lines[1].Excluded);
        Assert.Equal(3.00m, invoice.Subtotal);
    }

    [Fact]
    public void Reversed_pending_and_duplicate_events_are_explained()
    {
        var outcomes = new[]
        {
            Outcome("resolved", 1, duplicates: ["test/e0100"]),
            Outcome("resolved", 2, state: OutcomeState.Reversed) with { ReversedByEventId = "test/r1" },
            Outcome("resolved", 3, state: OutcomeState.Pending, at: Feb1.AddDays(3)),
        };
        // The duplicate comes as the segment's exclusion (detected where it happened), explained once on the line.
        var duplicate = new ExcludedEvent("test/e0100", "resolved", ExclusionReasons.DuplicateKey, "key \"k1\" already counted by test/e0001");
        var invoice = Assemble(Segment(Plan([Charge("resolved", Unit(5m))]), outcomes, excluded: [duplicate]));
        var line = Assert.Single(invoice.Lines);
        Assert.Equal(["test/e0001"], line.Events);
        Assert.Equal(5.00m, line.Amount);
        Assert.Equal(
            [
                new LineExclusion("test/e0002", ExclusionReasons.ReversedWithinWindow, "reversed by test/r1"),
                new LineExclusion("test/e0100", ExclusionReasons.DuplicateKey, "key \"k1\" already counted by test/e0001"),
            ],
            line.Excluded);
        // A pending outcome is not an exclusion: it is listed as pending with the instant it becomes billable.
        Assert.Equal([new PendingOutcome("test/e0003", DateTimeOffset.Parse("2026-02-04T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture))], line.Pending);
    }

    [Fact]
    public void Pricing_cap_adds_a_negative_line()
    {
        // base 10.00 + 150 × 1.00 = 150.00 usage > cap 100.00 → cap line −50.00; subtotal 10 + 150 − 50 = 110.00
        var invoice = Assemble(Segment(Plan([Charge("r", Unit(1m))], baseFee: 10m, cap: 100m), Many("r", 150)));
        Assert.Equal([LineKind.Base, LineKind.Charge, LineKind.Cap], invoice.Lines.Select(l => l.Kind));
        Assert.Equal(-50.00m, invoice.Lines[2].Amount);
        Assert.Equal(110.00m, invoice.Subtotal);
    }

    [Fact]
    public void Minimum_true_up_makes_up_the_difference()
    {
        // 30 × 1.00 = 30.00 < minimum 50.00 → true-up 20.00; subtotal 50.00
        var invoice = Assemble(Segment(Plan([Charge("r", Unit(1m))], minimum: 50m), Many("r", 30)));
        Assert.Equal([LineKind.Charge, LineKind.Minimum], invoice.Lines.Select(l => l.Kind));
        Assert.Equal(20.00m, invoice.Lines[1].Amount);
        Assert.Equal(50.00m, invoice.Subtotal);
    }

    [Fact]
    public void Minimum_is_checked_after_the_cap()
    {
        // 150 × 1.00 = 150.00 → cap 100.00: −50.00 → 100.00 < minimum 120.00 → +20.00; subtotal 120.00
        var invoice = Assemble(Segment(Plan([Charge("r", Unit(1m))], minimum: 120m, cap: 100m), Many("r", 150)));
        Assert.Equal([LineKind.Charge, LineKind.Cap, LineKind.Minimum], invoice.Lines.Select(l => l.Kind));
        Assert.Equal([150m, -50m, 20m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(120.00m, invoice.Subtotal);
    }

    [Fact]
    public void Usage_above_the_minimum_adds_no_line()
    {
        var invoice = Assemble(Segment(Plan([Charge("r", Unit(1m))], minimum: 20m), Many("r", 30)));
        Assert.Equal([LineKind.Charge], invoice.Lines.Select(l => l.Kind));
    }

    [Fact]
    public void Base_and_minimum_are_prorated_over_a_mid_month_version_split()
    {
        // January 2026 = 31 days; v1 on [Jan 1, Jan 15) = 14 days, v2 on [Jan 15, Feb 1) = 17 days.
        // v1: base 310 × 14/31 = 140.00; minimum 100 × 14/31 = 45.1612… → 45.16
        // v2: base 620 × 17/31 = 340.00; minimum 100 × 17/31 = 54.8387… → 54.84
        // subtotal 140.00 + 45.16 + 340.00 + 54.84 = 580.00
        var v1 = Segment(Plan([], baseFee: 310m, minimum: 100m), from: Jan1, to: Jan15, version: Version(1, new DateOnly(2026, 1, 1)));
        var v2 = Segment(Plan([], baseFee: 620m, minimum: 100m), from: Jan15, to: Feb1, version: Version(2, new DateOnly(2026, 1, 15)));
        var invoice = InvoiceAssembler.Assemble(Request(v2, v1));

        Assert.Equal([140.00m, 45.16m, 340.00m, 54.84m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal([LineKind.Base, LineKind.Minimum, LineKind.Base, LineKind.Minimum], invoice.Lines.Select(l => l.Kind));
        Assert.Equal([1, 1, 2, 2], invoice.Lines.Select(l => l.Version));
        Assert.Equal("prorated 14d of 31d", invoice.Lines[0].Note);
        Assert.Equal("prorated 17d of 31d", invoice.Lines[2].Note);
        Assert.Equal([1, 2], invoice.Versions);
        Assert.Equal(580.00m, invoice.Subtotal);
    }

    [Fact]
    public void Tiers_restart_in_each_segment_with_tiers_restart()
    {
        // graduated: up to 10 at 1.00, rest at 0.50; 8 outcomes per segment → 8.00 each = 16.00
        // (one segment of 16 would be 10 × 1.00 + 6 × 0.50 = 13.00)
        var plan = Plan([Charge("r", Graduated((10m, 1m), (null, 0.5m)))]);
        var first = Enumerable.Range(1, 8).Select(n => Outcome("r", n)).ToList();
        var second = Enumerable.Range(1, 8).Select(n => Outcome("r", 100 + n, at: Jan15.AddMinutes(n))).ToList();
        var invoice = Assemble(
            Segment(plan, first, Jan1, Jan15, Version(1, new DateOnly(2026, 1, 1)) with { Tiers = TierPosition.Restart }),
            Segment(plan, second, Jan15, Feb1, Version(2, new DateOnly(2026, 1, 15)) with { Tiers = TierPosition.Restart }));
        Assert.Equal([8.00m, 8.00m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(16.00m, invoice.Subtotal);
    }

    [Fact]
    public void By_default_a_split_period_costs_no_more_than_an_unsplit_one()
    {
        // Same charge as above: restarting would bill 16.00 for what one segment bills 13.00; by default the second
        // segment carries on from unit 9: 2 × 1.00 + 6 × 0.50 = 5.00, so 8.00 + 5.00 = 13.00 (dsl-spec §10.5).
        var plan = Plan([Charge("r", Graduated((10m, 1m), (null, 0.5m)))]);
        var first = Enumerable.Range(1, 8).Select(n => Outcome("r", n)).ToList();
        var second = Enumerable.Range(1, 8).Select(n => Outcome("r", 100 + n, at: Jan15.AddMinutes(n))).ToList();
        var invoice = Assemble(
            Segment(plan, first, Jan1, Jan15, Version(1, new DateOnly(2026, 1, 1))),
            Segment(plan, second, Jan15, Feb1, Version(2, new DateOnly(2026, 1, 15))));
        Assert.Equal([8.00m, 5.00m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(13.00m, invoice.Subtotal);
        Assert.Equal("tier position carried from earlier in the period: units 9–16", invoice.Lines[1].Note);
    }

    [Fact]
    public void Yen_invoice_rounds_every_line_to_whole_yen()
    {
        // segment [Jan 1, Jan 15) of 31 days: base 1000 × 14/31 = 451.61… → 452; 3 × 0.5 = 1.5 → 2; subtotal 454
        var plan = Plan([Charge("r", Unit(0.5m, "JPY"), currency: "JPY")], baseFee: 1000m, currency: "JPY");
        var invoice = InvoiceAssembler.Assemble(Request("JPY", Segment(plan, Many("r", 3), Jan1, Jan15)));
        Assert.Equal([452m, 2m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(454m, invoice.Subtotal);
    }

    [Fact]
    public void Dinar_invoice_rounds_every_line_to_three_decimals()
    {
        // base 10 × 14/31 = 4.516129… → 4.516; 3 × 0.0125 = 0.0375 → 0.038; subtotal 4.554
        var plan = Plan([Charge("r", Unit(0.0125m, "KWD"), currency: "KWD")], baseFee: 10m, currency: "KWD");
        var invoice = InvoiceAssembler.Assemble(Request("KWD", Segment(plan, Many("r", 3), Jan1, Jan15)));
        Assert.Equal([4.516m, 0.038m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(4.554m, invoice.Subtotal);
    }

    [Fact]
    public void Attribution_by_dimension_value()
    {
        // 3 × 10.00: team a, a, b → a 20.00, b 10.00
        Dictionary<string, string?> Team(string t) => new() { ["team"] = t };
        var outcomes = new[] { Outcome("r", 1, dimensions: Team("a")), Outcome("r", 2, dimensions: Team("a")), Outcome("r", 3, dimensions: Team("b")) };
        var line = Assert.Single(Assemble(Segment(Plan([Charge("r", Unit(10m))]), outcomes)).Lines);
        Assert.Equal([new Attribution("team", "a", 20m), new Attribution("team", "b", 10m)], line.Attribution);
    }

    [Fact]
    public void Free_outcomes_are_attributed_nothing()
    {
        // free 1, 3 × 1.00: first (team a) free → a 0.00, b 2.00
        Dictionary<string, string?> Team(string t) => new() { ["team"] = t };
        var outcomes = new[] { Outcome("r", 1, dimensions: Team("a")), Outcome("r", 2, dimensions: Team("b")), Outcome("r", 3, dimensions: Team("b")) };
        var line = Assert.Single(Assemble(Segment(Plan([Charge("r", Unit(1m), free: 1m)]), outcomes)).Lines);
        Assert.Equal([new Attribution("team", "a", 0m), new Attribution("team", "b", 2m)], line.Attribution);
    }

    [Fact]
    public void Split_remainder_goes_to_the_first_share()
    {
        // one outcome at 0.05 split 70% ai / 30% human: 0.035 → 0.04, 0.015 → 0.02, Σ 0.06 → remainder −0.01 to ai: 0.03 / 0.02
        SplitAllocationShare[] split = [new("credit", "ai", 0.7m), new("credit", "human", 0.3m)];
        var line = Assert.Single(Assemble(Segment(Plan([Charge("r", Unit(0.05m))]), [Outcome("r", 1, split: split)])).Lines);
        Assert.Equal([new Attribution("credit", "ai", 0.03m), new Attribution("credit", "human", 0.02m)], line.Attribution);
    }

    [Fact]
    public void Percent_line_is_attributed_by_outcome_amount()
    {
        // 10% of 100 (team a) = 10.00 and of 300 (team b) = 30.00
        Dictionary<string, string?> Team(string t) => new() { ["team"] = t };
        var outcomes = new[] { Outcome("s", 1, value: 100m, dimensions: Team("a")), Outcome("s", 2, value: 300m, dimensions: Team("b")) };
        var line = Assert.Single(Assemble(Segment(Plan([Charge("s", new PercentModel(0.1m, null, null))]), outcomes)).Lines);
        Assert.Equal(40.00m, line.Amount);
        Assert.Equal([new Attribution("team", "a", 10m), new Attribution("team", "b", 30m)], line.Attribution);
    }

    [Fact]
    public void Guards_alert_hold_and_cap()
    {
        // usage 100 × 1.00 = 100.00, cost 90.00 → margin (100 − 90)/100 = 10%
        // spend: revenue > 80 → cap 80.00 → guard-cap line −20.00; subtotal 80.00; bleed holds the invoice.
        var plan = Plan([Charge("r", Unit(1m))], guards:
        [
            Guard("low-margin", c => c.Margin(null) < 0.20m, GuardActionType.Alert),
            Guard("bleed", c => c.Margin("r") < 0.15m, GuardActionType.Hold),
            Guard("spend", c => c.Revenue(null) > 80m, GuardActionType.Cap, cap: 80m),
            Guard("volume", c => c.Count("r") > 1000m, GuardActionType.Alert),
        ]);
        var invoice = Assemble(Segment(plan, Many("r", 100), costs: [new SegmentCost("r", "USD", 90m)]));

        Assert.Equal(InvoiceStatus.Held, invoice.Status);
        Assert.Equal([LineKind.Charge, LineKind.GuardCap], invoice.Lines.Select(l => l.Kind));
        Assert.Equal(-20.00m, invoice.Lines[1].Amount);
        Assert.Equal("spend", invoice.Lines[1].Rule);
        Assert.Equal(80.00m, invoice.Subtotal);
        Assert.Equal([("low-margin", true), ("bleed", true), ("spend", true), ("volume", false)], invoice.Guards.Select(g => (g.Guard, g.Triggered)));
        Assert.Equal(["alert", "hold", "cap 80.00 USD", "alert"], invoice.Guards.Select(g => g.Action));
        Assert.Equal("revenue 100.00 USD, count 100, cost 90.00 USD, margin 10%", invoice.Guards[0].Detail);
    }

    [Fact]
    public void Guards_are_evaluated_once_over_the_whole_invoice_when_a_version_changes_mid_period()
    {
        // 6 outcomes at 1.00 in each segment: neither segment alone exceeds 10.00 of revenue, the invoice (12.00) does.
        // cost 4 + 5 = 9.00 → margin (12 − 9)/12 = 25%. cap 11 over the whole period → one guard-cap line −1.00.
        var plan = Plan([Charge("r", Unit(1m))], guards:
        [
            Guard("spend", c => c.Revenue(null) > 10m, GuardActionType.Hold),
            Guard("ceiling", c => c.Count("r") > 10m, GuardActionType.Cap, cap: 11m),
        ]);
        var first = Enumerable.Range(1, 6).Select(n => Outcome("r", n)).ToList();
        var second = Enumerable.Range(1, 6).Select(n => Outcome("r", 100 + n, at: Jan15.AddMinutes(n))).ToList();
        var invoice = Assemble(
            Segment(plan, first, Jan1, Jan15, Version(1, new DateOnly(2026, 1, 1)), costs: [new SegmentCost("r", "USD", 4m)]),
            Segment(plan, second, Jan15, Feb1, Version(2, new DateOnly(2026, 1, 15)), costs: [new SegmentCost("r", "USD", 5m)]));

        Assert.Equal([("spend", true), ("ceiling", true)], invoice.Guards.Select(g => (g.Guard, g.Triggered)));
        Assert.Equal("revenue 12.00 USD, count 12, cost 9.00 USD, margin 25% (whole invoice, 2 segments)", invoice.Guards[0].Detail);
        Assert.Equal(InvoiceStatus.Held, invoice.Status);
        var cap = Assert.Single(invoice.Lines, l => l.Kind == LineKind.GuardCap);
        Assert.Equal((-1.00m, 2, Jan15), (cap.Amount, cap.Version, cap.SegmentFrom));
        Assert.Null(cap.Note);
        Assert.Equal(11.00m, invoice.Subtotal);
    }

    [Fact]
    public void Guard_that_does_not_trigger_leaves_a_draft()
    {
        var plan = Plan([Charge("r", Unit(1m))], guards: [Guard("bleed", c => c.Margin(null) < 0.05m, GuardActionType.Hold)]);
        var invoice = Assemble(Segment(plan, Many("r", 100), costs: [new SegmentCost("r", "USD", 90m)]));
        Assert.Equal(InvoiceStatus.Draft, invoice.Status);
        Assert.False(Assert.Single(invoice.Guards).Triggered);
    }

    [Fact]
    public void Guard_reading_cost_in_another_currency_is_a_rating_error()
    {
        var plan = Plan([Charge("r", Unit(1m))], guards: [Guard("bleed", c => c.Cost(null) > 1m, GuardActionType.Hold)]);
        var error = Assert.Throws<RuleEvaluationException>(() =>
            Assemble(Segment(plan, Many("r", 1), costs: [new SegmentCost("r", "EUR", 5m)])));
        Assert.Equal("RB0401", error.Code);
    }

    [Fact]
    public void Ids_are_deterministic_and_distinct()
    {
        InvoiceSegment Build() => Segment(Plan([Charge("a", Unit(1m)), Charge("b", Unit(2m))], baseFee: 5m), Many("a", 2));
        var first = Assemble(Build());
        var second = Assemble(Build());
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Lines.Select(l => l.Id), second.Lines.Select(l => l.Id));
        Assert.Equal(first.Lines.Count, first.Lines.Select(l => l.Id).Distinct().Count());
        Assert.StartsWith("inv_", first.Id);
        Assert.All(first.Lines, l => Assert.Matches("^line_[0-9a-f]{32}$", l.Id));
    }

    [Fact]
    public void Outcome_outside_its_segment_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Assemble(Segment(Plan([Charge("r", Unit(1m))]), [Outcome("r", 1, at: Feb1.AddDays(1))])));
        Assert.Contains("outside segment", error.Message);
    }

    [Fact]
    public void Overlapping_segments_are_refused()
    {
        var plan = Plan([]);
        var error = Assert.Throws<ArgumentException>(() =>
            Assemble(Segment(plan, from: Jan1, to: Jan15.AddDays(1)), Segment(plan, from: Jan15, to: Feb1)));
        Assert.Contains("overlaps", error.Message);
    }

    [Fact]
    public void Plan_without_the_invoice_currency_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            InvoiceAssembler.Assemble(Request("EUR", Segment(Plan([Charge("r", Unit(1m))])))));
        Assert.Contains("no prices in EUR", error.Message);
    }
}
