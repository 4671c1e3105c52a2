using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Costs;
using RulesBilling.Engine.Outcomes;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

public class CostAggregatorTests
{
    private static readonly CostRule LlmCost = new("llm", "llm.call", null, e => (decimal)e.Fields[1]!, "USD", "resolved",
        e => (string)e.Fields[0]!, [], Here);

    private static readonly BillingPeriodRange March = new(At("2026-03-01T00:00:00Z"), At("2026-04-01T00:00:00Z"));

    [Fact]
    public void Costs_are_summed_per_customer_outcome_and_currency_for_events_in_the_range()
    {
        var unattributed = LlmCost with { Name = "infra", Outcome = null, OutcomeKey = null, Condition = e => (decimal)e.Fields[1]! > 1m };
        var rules = Set(costs: [LlmCost, unattributed]);
        var events = EventBinding.Bind(rules,
        [
            LlmEvent("l1", "acme", "2026-03-01T00:00:00Z", "T-1", 0.25m),
            LlmEvent("l2", "acme", "2026-03-31T23:59:59Z", "T-2", 1.50m),
            LlmEvent("l3", "acme", "2026-04-01T00:00:00Z", "T-3", 9m),
            LlmEvent("l4", "globex", "2026-03-10T00:00:00Z", "T-4", 0.10m),
        ]);

        var result = CostAggregator.Aggregate(rules, events, March);

        Assert.Equal(
        [
            new CostTotal("acme", null, "USD", 1.50m, 1),
            new CostTotal("acme", "resolved", "USD", 1.75m, 2),
            new CostTotal("globex", "resolved", "USD", 0.10m, 1),
        ], result.Totals);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void An_amount_that_cannot_be_evaluated_is_an_error_and_not_added()
    {
        var failing = LlmCost with
        {
            Amount = e => (decimal)e.Fields[1]! == 0m ? throw new RuleEvaluationException("RB0901", "division by zero", Here) : (decimal)e.Fields[1]!,
        };
        var rules = Set(costs: [failing]);
        var events = EventBinding.Bind(rules,
        [
            LlmEvent("l1", "acme", "2026-03-02T00:00:00Z", "T-1", 0m),
            LlmEvent("l2", "acme", "2026-03-03T00:00:00Z", "T-2", 2m),
        ]);

        var result = CostAggregator.Aggregate(rules, events, March);

        Assert.Equal(2m, Assert.Single(result.Totals).Amount);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("RB0901", "agent-a/l1", "llm"), (error.Code, error.EventId, error.Rule));
    }
}
