using System.Text.Json;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Billing;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Entitlements;

/// <summary>
/// The prepaid balance counts the open period's invoice as finalize will draft it: with what earlier invoices left of
/// a fixed <c>once</c> coupon (docs/dsl-spec.md §9.14.1), not the coupon's first period only.
/// </summary>
public sealed class CarriedCouponBalanceTests
{
    private static readonly string Text = Tasks + """
        pricing monthly_base {
          base 100 USD
          charge task {
            unit 1 USD
          }
        }

        coupon welcome {
          amount 150 USD
          once
        }

        contract starter version 1 effective 2026-01-01 {
          customers "acme"
          pricing monthly_base
          currency USD
          period monthly
          coupon welcome
        }
        """;

    [Fact]
    public void The_open_period_takes_from_credits_what_is_left_after_the_carried_coupon()
    {
        using var store = new InMemoryBillingStore();
        var rules = Compile(Text);
        var clock = new TestClock(new DateTimeOffset(2026, 2, 1, 1, 0, 0, TimeSpan.Zero));
        new EventIngestor(store, clock).Ingest(Tenant.Default, "[" + Task("e1", "acme", "2026-02-03T10:00:00Z", 5) + "]", rules);
        var engine = new UseCases(store, new FixedRuleSet(rules), clock);
        engine.GrantCredits(Tenant.Default, "acme", 500m, "USD", grantId: "g1");
        // January: 100 − 100 of the coupon = 0, so no credit is used and 50 of the coupon is left.
        Assert.Equal(0.00m, engine.Finalize(Tenant.Default, "acme", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).Total);

        clock.Now = new DateTimeOffset(2026, 2, 10, 0, 0, 0, TimeSpan.Zero);
        var view = new EntitlementView(store, _ => rules, clock);
        // February so far: 100 + 5 − the 50 left = 55 committed of the 500 granted.
        Assert.Equal(new PrepaidBalance("USD", 500m, 55.00m, 0m, 445.00m, 445.00m), Assert.Single(view.Balance(Tenant.Default, "acme").Balances));
        Assert.Equal(JsonSerializer.Serialize(view.Balance(Tenant.Default, "acme")),
            JsonSerializer.Serialize(EntitlementView.RecomputeBalance(rules, store, Tenant.Default, "acme", clock.Now)));
    }
}
