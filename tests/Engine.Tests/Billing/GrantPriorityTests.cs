using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>docs/dsl-spec.md §11: a grant created without a priority gets the lowest (50) and is consumed last.</summary>
public sealed class GrantPriorityTests
{
    [Fact]
    public void An_unprioritized_grant_is_consumed_after_prioritized_ones_even_when_older()
    {
        using var store = new InMemoryBillingStore();
        Append(store, ClosedEvent("e1", "acme", "2026-03-02T10:00:00Z", "T-1"));
        var (engine, clock) = NewEngine(store, Rules(), "2026-03-01T00:00:00Z");
        var plain = engine.GrantCredits(T, "acme", 100m, "USD", grantId: "g-plain");
        clock.Now = At("2026-03-02T00:00:00Z");
        engine.GrantCredits(T, "acme", 3m, "USD", priority: 10, grantId: "g-promo");

        clock.Now = At("2026-04-02T00:00:00Z");
        var invoice = engine.Finalize(T, "acme", At("2026-03-01T00:00:00Z"));

        Assert.Equal(CreditGrant.LowestPriority, plain.Priority);
        Assert.Equal([new CreditApplication("g-promo", 3m), new CreditApplication("g-plain", invoice.Subtotal - 3m)], invoice.Credits);
        Assert.Contains("priority", Assert.Throws<BillingException>(() => engine.GrantCredits(T, "acme", 1m, "USD", priority: 51)).Message);
        Assert.Contains("priority", Assert.Throws<BillingException>(() => engine.GrantCredits(T, "acme", 1m, "USD", priority: -1)).Message);
    }
}
