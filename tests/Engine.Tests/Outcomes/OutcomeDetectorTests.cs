using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Outcomes;

public class OutcomeDetectorTests
{
    private static readonly DateTimeOffset FarFuture = At("2030-01-01T00:00:00Z");

    private static OutcomeDetection Detect(CompiledRuleSet rules, IEnumerable<StoredEvent> events, DateTimeOffset? cutoff = null) =>
        OutcomeDetector.Detect(rules, EventBinding.Bind(rules, events), cutoff ?? FarFuture);

    private static OutcomeDetection Detect(OutcomeRule rule, params StoredEvent[] events) => Detect(Set([rule]), events);

    [Fact]
    public void Qualifying_event_makes_a_billable_outcome_and_a_failed_condition_is_excluded()
    {
        var result = Detect(Resolved,
            ClosedEvent("e1", "acme", "2026-03-02T10:00:00Z", "T-1"),
            ClosedEvent("e2", "acme", "2026-03-02T11:00:00Z", "T-2", status: "open"));

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(("resolved", "acme", "T-1", "e1", 1m, OutcomeState.Billable), (outcome.Outcome, outcome.Customer, outcome.Key, outcome.EventId, outcome.Quantity, outcome.State));
        Assert.Equal(At("2026-03-02T10:00:00Z"), outcome.BillableAt);
        var excluded = Assert.Single(result.Excluded);
        Assert.Equal(new ExcludedEvent("agent-a/e2", "resolved", ExclusionReasons.FailedCondition, null), excluded);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Same_key_from_several_agents_counts_once_for_the_earliest_event_whatever_the_arrival_order()
    {
        // Stored in reverse order: processing order is (time, source, id), not arrival.
        var result = Detect(Resolved,
            ClosedEvent("x9", "acme", "2026-03-05T09:00:00Z", "T-1", source: "agent-b"),
            ClosedEvent("x1", "acme", "2026-03-03T09:00:00Z", "T-1", source: "agent-c"),
            ClosedEvent("x5", "acme", "2026-03-04T09:00:00Z", "T-1", source: "agent-a"));

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal("agent-c/x1", outcome.EventSource + "/" + outcome.EventId);
        Assert.Equal(["agent-a/x5", "agent-b/x9"], outcome.DuplicateEventIds);
        Assert.All(result.Excluded, x => Assert.Equal(ExclusionReasons.DuplicateKey, x.Reason));
        Assert.Equal(["agent-a/x5", "agent-b/x9"], result.Excluded.Select(x => x.EventId));
        Assert.Contains("agent-c/x1", result.Excluded[0].Detail);
    }

    [Fact]
    public void At_the_same_instant_the_source_then_the_id_decide_which_event_counts()
    {
        var result = Detect(Resolved,
            ClosedEvent("b", "acme", "2026-03-03T09:00:00Z", "T-1", source: "zeta"),
            ClosedEvent("z", "acme", "2026-03-03T09:00:00Z", "T-1", source: "alpha"),
            ClosedEvent("a", "acme", "2026-03-03T09:00:00Z", "T-1", source: "zeta"));

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(("alpha", "z"), (outcome.EventSource, outcome.EventId));
        Assert.Equal(["zeta/a", "zeta/b"], outcome.DuplicateEventIds);
    }

    [Fact]
    public void Dedup_ever_spans_months_and_is_scoped_per_customer()
    {
        var result = Detect(Resolved,
            ClosedEvent("e1", "acme", "2026-01-03T09:00:00Z", "T-1"),
            ClosedEvent("e2", "acme", "2026-09-03T09:00:00Z", "T-1"),
            ClosedEvent("e3", "globex", "2026-09-03T09:00:00Z", "T-1"));

        Assert.Equal([("acme", "e1"), ("globex", "e3")], result.Outcomes.Select(o => (o.Customer, o.EventId)));
        Assert.Equal("agent-a/e2", Assert.Single(result.Excluded).EventId);
    }

    [Fact]
    public void Within_window_a_later_event_more_than_the_window_after_the_counted_one_starts_a_new_outcome()
    {
        var rule = Resolved with { DedupWindow = TimeSpan.FromHours(24) };
        var result = Detect(rule,
            ClosedEvent("e1", "acme", "2026-03-01T00:00:00Z", "T-1"),
            ClosedEvent("e2", "acme", "2026-03-01T12:00:00Z", "T-1"),
            ClosedEvent("e3", "acme", "2026-03-02T00:00:00Z", "T-1"),   // exactly W after e1: still a duplicate
            ClosedEvent("e4", "acme", "2026-03-02T00:00:01Z", "T-1"),   // more than W after e1: new outcome
            ClosedEvent("e5", "acme", "2026-03-02T18:00:00Z", "T-1"));  // within W of e4

        Assert.Equal(["e1", "e4"], result.Outcomes.Select(o => o.EventId));
        Assert.Equal(["agent-a/e2", "agent-a/e3"], result.Outcomes[0].DuplicateEventIds);
        Assert.Equal(["agent-a/e5"], result.Outcomes[1].DuplicateEventIds);
    }

    [Fact]
    public void Without_a_key_every_event_is_its_own_outcome_keyed_source_slash_id()
    {
        var rule = Resolved with { Key = null };
        var result = Detect(rule,
            ClosedEvent("e1", "acme", "2026-03-01T00:00:00Z", "T-1"),
            ClosedEvent("e1", "acme", "2026-03-01T00:00:00Z", "T-1", source: "agent-b"));

        Assert.Equal(["agent-a/e1", "agent-b/e1"], result.Outcomes.Select(o => o.Key));
        Assert.Empty(result.Excluded);
    }

    [Fact]
    public void Quantity_value_dimensions_and_split_shares_are_evaluated_per_outcome()
    {
        var rule = Resolved with
        {
            Quantity = e => (decimal?)e.Fields[4] ?? 1m,
            Value = e => (decimal?)e.Fields[3] ?? 0m,
            ValueCurrency = "USD",
            Dimensions = [new DimensionRule("team", e => (string?)e.Fields[5])],
            Split = new SplitRule("agent", [new SplitShareRule(0.7m, e => (string?)e.Fields[2]), new SplitShareRule(0.3m, _ => "platform")]),
        };
        var result = Detect(rule,
            ClosedEvent("e1", "acme", "2026-03-01T00:00:00Z", "T-1", agent: "bot-7", amount: 120.50m, units: 3m, team: "billing"),
            ClosedEvent("e2", "acme", "2026-03-01T01:00:00Z", "T-2"));

        var (first, second) = (result.Outcomes[0], result.Outcomes[1]);
        Assert.Equal((3m, (decimal?)120.50m, "USD"), (first.Quantity, first.Value, first.ValueCurrency));
        Assert.Equal("billing", first.Dimensions["team"]);
        Assert.Equal([new SplitAllocationShare("agent", "bot-7", 0.7m), new SplitAllocationShare("agent", "platform", 0.3m)], first.Split);
        Assert.Equal((1m, (decimal?)0m), (second.Quantity, second.Value));
        Assert.Null(second.Dimensions["team"]);
        Assert.Null(second.Split[0].Target);
    }

    [Fact]
    public void Negative_quantity_is_a_rating_error_not_a_zero_and_other_events_still_count()
    {
        var rule = Resolved with { Quantity = e => (decimal?)e.Fields[4] ?? 1m };
        var result = Detect(rule,
            ClosedEvent("e1", "acme", "2026-03-01T00:00:00Z", "T-1", units: -2m),
            ClosedEvent("e2", "acme", "2026-03-01T01:00:00Z", "T-2", units: 2m));

        Assert.Equal(["e2"], result.Outcomes.Select(o => o.EventId));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("RB0903", "agent-a/e1", "resolved", "acme"), (error.Code, error.EventId, error.Rule, error.Customer));
        Assert.StartsWith("tickets.rules:1:1: error RB0903:", error.Message);
        var excluded = Assert.Single(result.Excluded);
        Assert.Equal((ExclusionReasons.RatingError, error.Message), (excluded.Reason, excluded.Detail));
    }

    [Fact]
    public void A_failing_rule_expression_excludes_only_that_event_with_the_rule_message()
    {
        var location = new SourceLocation("tickets.rules", 4, 12);
        var rule = Resolved with
        {
            Condition = e => (string)e.Fields[0]! == "T-bad"
                ? throw new RuleEvaluationException("RB0901", "division by zero", location)
                : true,
        };
        var result = Detect(rule,
            ClosedEvent("e1", "acme", "2026-03-01T00:00:00Z", "T-bad"),
            ClosedEvent("e2", "acme", "2026-03-01T01:00:00Z", "T-ok"));

        Assert.Equal(["T-ok"], result.Outcomes.Select(o => o.Key));
        var error = Assert.Single(result.Errors);
        Assert.Equal("tickets.rules:4:12: error RB0901: division by zero", error.Message);
        Assert.Equal(ExclusionReasons.RatingError, Assert.Single(result.Excluded).Reason);
    }

    [Fact]
    public void Raw_arithmetic_faults_in_a_delegate_are_reported_with_their_stable_code()
    {
        var rule = Resolved with { Quantity = e => 1m / ((decimal?)e.Fields[4] ?? 1m) };
        var result = Detect(rule, ClosedEvent("e1", "acme", "2026-03-01T00:00:00Z", "T-1", units: 0m));

        Assert.Empty(result.Outcomes);
        Assert.Equal("RB0901", Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Reversal_inside_the_hold_window_reverses_the_outcome()
    {
        var rule = Resolved with { Hold = Hold7d };
        var result = Detect(rule,
            ClosedEvent("c1", "acme", "2026-03-01T00:00:00Z", "T-1"),
            ReopenedEvent("r1", "acme", "2026-03-05T00:00:00Z", "T-1"));

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal((OutcomeState.Reversed, "agent-a/r1"), (outcome.State, outcome.ReversedByEventId));
        Assert.Equal(At("2026-03-08T00:00:00Z"), outcome.BillableAt);
        var excluded = Assert.Single(result.Excluded);
        Assert.Equal(("agent-a/c1", ExclusionReasons.ReversedWithinWindow), (excluded.EventId, excluded.Reason));
        Assert.DoesNotContain(result.Outcomes, o => o.State == OutcomeState.Billable);
    }

    [Fact]
    public void A_reversal_releases_the_key_so_the_ticket_resolved_again_later_is_billed_once()
    {
        var rule = Resolved with { Hold = Hold7d };
        var result = Detect(rule,
            ClosedEvent("c1", "acme", "2026-03-01T00:00:00Z", "T-1"),
            ClosedEvent("c2", "acme", "2026-03-03T00:00:00Z", "T-1", source: "agent-b"),
            ReopenedEvent("r1", "acme", "2026-03-05T00:00:00Z", "T-1"),
            ClosedEvent("c3", "acme", "2026-03-06T00:00:00Z", "T-1"),
            ClosedEvent("c4", "acme", "2026-03-07T00:00:00Z", "T-1", source: "agent-b"));

        // c2 came before the reopen: a duplicate of c1. c3 came after it: a new outcome with its own window; c4 duplicates c3.
        Assert.Equal(
            [("c1", OutcomeState.Reversed), ("c3", OutcomeState.Billable)],
            result.Outcomes.Select(o => (o.EventId, o.State)));
        Assert.Equal(At("2026-03-13T00:00:00Z"), result.Outcomes[1].BillableAt);
        Assert.Equal(["agent-b/c2"], result.Outcomes[0].DuplicateEventIds);
        Assert.Equal(["agent-b/c4"], result.Outcomes[1].DuplicateEventIds);
    }

    [Theory]
    [InlineData("2026-03-05T00:00:00Z")]
    [InlineData("2026-03-05T00:00:01Z")]
    public void A_ticket_re_closed_at_or_after_the_reopen_is_billed_once_and_the_spent_reopen_does_not_reverse_it(string reclosedAt)
    {
        // The reopen released the key for the re-close; the same reopen cannot also reverse it, whether the
        // re-close carries the very same timestamp (second-precision integrations) or a later one.
        var rule = Resolved with { Hold = Hold7d };
        var result = Detect(rule,
            ClosedEvent("c1", "acme", "2026-03-01T00:00:00Z", "T-1"),
            ReopenedEvent("r1", "acme", "2026-03-05T00:00:00Z", "T-1"),
            ClosedEvent("c2", "acme", reclosedAt, "T-1"));

        Assert.Equal(
            [("c1", OutcomeState.Reversed, "agent-a/r1"), ("c2", OutcomeState.Billable, null)],
            result.Outcomes.Select(o => (o.EventId, o.State, o.ReversedByEventId)));
        Assert.Equal(At(reclosedAt) + TimeSpan.FromDays(7), result.Outcomes[1].BillableAt);
        Assert.Equal([("agent-a/c1", ExclusionReasons.ReversedWithinWindow)], result.Excluded.Select(x => (x.EventId, x.Reason)));
    }

    [Fact]
    public void A_second_reopen_after_the_re_close_reverses_the_re_close()
    {
        var rule = Resolved with { Hold = Hold7d };
        var result = Detect(rule,
            ClosedEvent("c1", "acme", "2026-03-01T00:00:00Z", "T-1"),
            ReopenedEvent("r1", "acme", "2026-03-05T00:00:00Z", "T-1"),
            ClosedEvent("c2", "acme", "2026-03-05T00:00:00Z", "T-1"),
            ReopenedEvent("r2", "acme", "2026-03-06T00:00:00Z", "T-1"));

        Assert.Equal(
            [("c1", OutcomeState.Reversed, "agent-a/r1"), ("c2", OutcomeState.Reversed, "agent-a/r2")],
            result.Outcomes.Select(o => (o.EventId, o.State, o.ReversedByEventId)));
    }

    [Fact]
    public void Reversal_exactly_at_the_window_end_still_reverses_but_one_after_it_does_not()
    {
        var rule = Resolved with { Hold = Hold7d };
        var result = Detect(rule,
            ClosedEvent("c1", "acme", "2026-03-01T00:00:00Z", "T-1"),
            ReopenedEvent("r1", "acme", "2026-03-08T00:00:00Z", "T-1"),
            ClosedEvent("c2", "acme", "2026-03-01T00:00:00Z", "T-2"),
            ReopenedEvent("r2", "acme", "2026-03-08T00:00:01Z", "T-2"));

        Assert.Equal([("T-1", OutcomeState.Reversed), ("T-2", OutcomeState.Billable)], result.Outcomes.Select(o => (o.Key, o.State)));
    }

    [Fact]
    public void Reversals_of_another_key_another_customer_or_before_the_outcome_do_not_reverse_it()
    {
        var rule = Resolved with { Hold = Hold7d };
        var result = Detect(rule,
            ReopenedEvent("r0", "acme", "2026-02-28T00:00:00Z", "T-1"),
            ClosedEvent("c1", "acme", "2026-03-01T00:00:00Z", "T-1"),
            ReopenedEvent("r1", "acme", "2026-03-02T00:00:00Z", "T-9"),
            ReopenedEvent("r2", "globex", "2026-03-02T00:00:00Z", "T-1"));

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal((OutcomeState.Billable, (string?)null), (outcome.State, outcome.ReversedByEventId));
        Assert.Empty(result.Excluded);
    }

    [Fact]
    public void An_outcome_whose_window_is_still_open_at_the_cutoff_is_pending()
    {
        var rules = Set([Resolved with { Hold = Hold7d }]);
        StoredEvent[] events = [ClosedEvent("c1", "acme", "2026-03-28T00:00:00Z", "T-1")];

        var atPeriodEnd = Detect(rules, events, At("2026-04-01T00:00:00Z"));
        var later = Detect(rules, events, At("2026-04-04T00:00:00Z"));

        Assert.Equal(OutcomeState.Pending, Assert.Single(atPeriodEnd.Outcomes).State);
        var excluded = Assert.Single(atPeriodEnd.Excluded);
        Assert.Equal(ExclusionReasons.PendingValidation, excluded.Reason);
        Assert.Contains("2026-04-04T00:00:00Z", excluded.Detail);
        Assert.Equal(OutcomeState.Billable, Assert.Single(later.Outcomes).State);
        Assert.Empty(later.Excluded);
    }

    [Fact]
    public void Data_that_no_longer_matches_the_schema_is_excluded_as_rejected_by_schema()
    {
        var broken = Stored("t1", "agent-a", "e1", "ticket.closed", "acme", "2026-03-01T00:00:00Z",
            new Dictionary<string, object?> { ["status"] = "closed" });
        var result = Detect(Set(), [broken]);

        Assert.Empty(result.Outcomes);
        var excluded = Assert.Single(result.Excluded);
        Assert.Equal(("agent-a/e1", ExclusionReasons.RejectedBySchema), (excluded.EventId, excluded.Reason));
        Assert.Contains("ticket_id", excluded.Detail);
    }

    [Fact]
    public void Events_of_undeclared_types_are_ignored()
    {
        var other = Stored("t1", "agent-a", "e1", "heartbeat", "acme", "2026-03-01T00:00:00Z", new Dictionary<string, object?>());
        var result = Detect(Set(), [other]);

        Assert.Empty(result.Outcomes);
        Assert.Empty(result.Excluded);
    }
}
