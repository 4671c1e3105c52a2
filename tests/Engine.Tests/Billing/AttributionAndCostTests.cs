using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

public class AttributionAndCostTests
{
    [Fact]
    public void Split_shares_reach_the_invoice_line_attribution_and_sum_to_the_line_amount()
    {
        // 1 USD per ticket split 70% to the closing agent, 30% to the platform: 3 tickets = 3.00 → 2.10 / 0.90.
        var rule = Resolved with
        {
            Split = new SplitRule("agent", [new SplitShareRule(0.7m, e => (string?)e.Fields[2]), new SplitShareRule(0.3m, _ => "platform")]),
        };
        var plan = Standard with { BaseFee = null, Charges = [ResolvedCharge with { Model = new UnitModel(PriceList.Single("USD", 1m)) }] };
        using var store = new InMemoryBillingStore();
        Append(store,
            ClosedEvent("e1", "acme", "2026-03-02T00:00:00Z", "T-1", agent: "bot-1"),
            ClosedEvent("e2", "acme", "2026-03-03T00:00:00Z", "T-2", agent: "bot-1"),
            ClosedEvent("e3", "acme", "2026-03-04T00:00:00Z", "T-3", agent: "bot-2"));
        var (engine, _) = NewEngine(store, Rules(rule, plan), "2026-04-02T00:00:00Z");

        var line = Assert.Single(engine.Finalize(T, "acme", At("2026-03-01T00:00:00Z")).Lines);

        var byAgent = line.Attribution.Where(a => a.Dimension == "agent").ToDictionary(a => a.Value ?? "", a => a.Amount);
        Assert.Equal(3.00m, line.Amount);
        Assert.Equal(1.40m, byAgent["bot-1"]);
        Assert.Equal(0.70m, byAgent["bot-2"]);
        Assert.Equal(0.90m, byAgent["platform"]);
        Assert.Equal(line.Amount, byAgent.Values.Sum());
    }

    [Fact]
    public void Costs_of_the_period_feed_margin_guards()
    {
        var llm = new CostRule("llm", "llm.call", null, e => (decimal)e.Fields[1]!, "USD", "resolved", e => (string)e.Fields[0]!, [], Here);
        var guard = new GuardRule("thin-margin", c => c.Margin("resolved") < 0.5m, "margin(resolved) < 50%", GuardActionType.Alert, null, Here);
        var rules = Set([Resolved], costs: [llm], pricings: [Standard with { Guards = [guard] }], contracts: [StandardV1]);
        using var store = new InMemoryBillingStore();
        Append(store,
            ClosedEvent("e1", "acme", "2026-03-02T00:00:00Z", "T-1"),
            ClosedEvent("e2", "acme", "2026-03-03T00:00:00Z", "T-2"),
            LlmEvent("l1", "acme", "2026-03-02T00:00:00Z", "T-1", 1.50m),
            LlmEvent("l2", "acme", "2026-03-03T00:00:00Z", "T-2", 1.25m),
            LlmEvent("l3", "acme", "2026-04-03T00:00:00Z", "T-9", 40m),
            LlmEvent("l4", "globex", "2026-03-03T00:00:00Z", "G-1", 40m));
        var (engine, _) = NewEngine(store, rules, "2026-04-02T00:00:00Z");

        var march = Assert.Single(engine.Preview(T, "acme", At("2026-03-01T00:00:00Z")).Invoices);

        // Revenue 5.00, cost 2.75 (April's and globex's costs are not March's acme costs): margin 45%.
        var finding = Assert.Single(march.Guards);
        Assert.True(finding.Triggered);
        Assert.Contains("cost 2.75 USD", finding.Detail);
        Assert.Equal(InvoiceStatus.Draft, march.Status);
    }
}
