using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Billing;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Entitlements;

/// <summary>
/// A threshold invoice takes prepaid credits when it is issued (docs/dsl-spec.md §10.9), and the period's invoice nets
/// it: the balance counts as committed only what the period's invoice has still to bill, not the usage a threshold
/// invoice has already taken from the grant.
/// </summary>
public sealed class ThresholdBalanceTests
{
    private static readonly string Text = Tasks + """
        pricing per_task {
          charge task {
            unit 10 USD
          }
        }

        contract metered version 1 effective 2026-01-01 {
          customers "acme"
          pricing per_task
          currency USD
          period monthly
          thresholds 100 USD
        }
        """;

    [Fact]
    public void Usage_a_threshold_invoice_took_from_the_grant_is_not_committed_again()
    {
        using var store = new InMemoryBillingStore();
        var rules = Compile(Text);
        var clock = new TestClock(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero));
        var engine = new UseCases(store, new FixedRuleSet(rules), clock);
        engine.GrantCredits(Tenant.Default, "acme", 500m, "USD", grantId: "g1");
        new EventIngestor(store, clock).Ingest(Tenant.Default, "[" + string.Join(",",
            Task("e1", "acme", "2026-03-02T10:00:00Z", 5), Task("e2", "acme", "2026-03-05T10:00:00Z", 7)) + "]", rules);

        // 50 + 70 = 120 USD reaches the 100 USD threshold: one threshold invoice, paid from the grant (500 − 120 = 380).
        var threshold = Assert.Single(engine.IssueThresholdInvoices(Tenant.Default, "acme"));
        Assert.Equal(120.00m, threshold.CreditsApplied);
        var view = new EntitlementView(store, _ => rules, clock);
        Assert.Equal(new PrepaidBalance("USD", 380m, 0m, 0m, 380m, 380m), Assert.Single(view.Balance(Tenant.Default, "acme").Balances));

        // 30 USD more: only that is still to be billed by March's invoice.
        new EventIngestor(store, clock).Ingest(Tenant.Default, "[" + Task("e3", "acme", "2026-03-08T10:00:00Z", 3) + "]", rules);
        Assert.Equal(new PrepaidBalance("USD", 380m, 30.00m, 0m, 350.00m, 350.00m), Assert.Single(view.Balance(Tenant.Default, "acme").Balances));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(view.Balance(Tenant.Default, "acme")),
            System.Text.Json.JsonSerializer.Serialize(EntitlementView.RecomputeBalance(rules, store, Tenant.Default, "acme", clock.Now)));

        // March's invoice takes exactly what the balance committed.
        clock.Now = new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(30.00m, engine.Finalize(Tenant.Default, "acme", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)).CreditsApplied);
    }
}
