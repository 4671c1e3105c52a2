using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using UseCases = RulesBilling.Engine.Tests.Billing.UseCases;
using RulesBilling.Engine.Tests.Ingestion;

namespace RulesBilling.Engine.Tests.Entitlements;

/// <summary>Limits, resets at window boundaries, and grants that change with the contract version.</summary>
public sealed class EntitlementLimitTests : IDisposable
{
    private static readonly CompiledRuleSet Rules = EntitlementRules.Compile();
    private readonly InMemoryBillingStore _store = new();
    private readonly TestClock _clock = new(At("2026-01-20T12:00:00Z"));
    private readonly EntitlementView _view;
    private readonly EventIngestor _ingestor;

    public EntitlementLimitTests()
    {
        _view = new EntitlementView(_store, _ => Rules, _clock);
        _ingestor = new EventIngestor(_store, _clock);
    }

    public void Dispose() => _store.Dispose();

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private void Ingest(params string[] events) => Assert.Equal(events.Length, _ingestor.Ingest("t1", "[" + string.Join(",", events) + "]", Rules).Accepted);

    private FeatureEntitlement Feature(string name) => _view.Entitlement("t1", "acme", name)!;

    [Fact]
    public void A_hard_limit_refuses_past_the_limit_and_resets_with_the_billing_period()
    {
        Ingest(
            EntitlementRules.Resolved("r1", "acme", "2026-01-02T00:00:00Z", "t1"),
            EntitlementRules.Resolved("r2", "acme", "2026-01-10T00:00:00Z", "t2", units: 2));

        var before = Feature("resolutions");
        // Exactly at a hard limit there is no access left: the next unit would be refused.
        Assert.Equal((false, 3m, 3m, 0m, "hard"), (before.HasAccess, before.Usage, before.Limit, before.Remaining, before.LimitMode));
        Assert.Equal((At("2026-01-01T00:00:00Z"), At("2026-02-01T00:00:00Z")), (before.WindowStart, before.ResetsAt));
        Assert.True(_view.Check("t1", "acme", "resolutions", 0m)!.Allowed);
        var refused = _view.Check("t1", "acme", "resolutions", 1m)!;
        Assert.Equal((false, "hard-limit-reached", 0m), (refused.Allowed, refused.Reason, refused.Overage));

        // The last instant of January still counts in January; the first of February starts a new window.
        Ingest(EntitlementRules.Resolved("r3", "acme", "2026-01-31T23:59:59Z", "t3"));
        Assert.Equal((false, 4m, 1m), (Feature("resolutions").HasAccess, Feature("resolutions").Usage, Feature("resolutions").Overage));
        Ingest(EntitlementRules.Resolved("r4", "acme", "2026-02-01T00:00:00Z", "t4"));
        _clock.Now = At("2026-02-01T00:00:00Z");
        var after = Feature("resolutions");
        Assert.Equal((true, 1m, 2m, At("2026-03-01T00:00:00Z")), (after.HasAccess, after.Usage, after.Remaining, after.ResetsAt));
        Assert.True(_view.Check("t1", "acme", "resolutions", 2m)!.Allowed);
        Assert.False(_view.Check("t1", "acme", "resolutions", 3m)!.Allowed);
    }

    [Fact]
    public void A_soft_limit_allows_and_reports_overage_and_a_reversal_gives_quota_back()
    {
        Ingest(
            EntitlementRules.Resolved("v1", "acme", "2026-01-05T00:00:00Z", "a"),
            EntitlementRules.Resolved("v2", "acme", "2026-01-06T00:00:00Z", "b"),
            EntitlementRules.Resolved("v3", "acme", "2026-01-19T00:00:00Z", "c"));
        var soft = Feature("verifications");
        Assert.Equal((true, 3m, 2m, 0m, 1m, "soft"), (soft.HasAccess, soft.Usage, soft.Limit, soft.Remaining, soft.Overage, soft.LimitMode));
        var check = _view.Check("t1", "acme", "verifications", 2m)!;
        Assert.Equal((true, 2m, "soft-limit-exceeded"), (check.Allowed, check.Overage, check.Reason));

        // "c" is still in its 2-day validation window: reopening it reverses the outcome and frees one unit.
        Ingest(EntitlementRules.Reopened("o1", "acme", "2026-01-20T00:00:00Z", "c"));
        Assert.Equal((2m, 0m), (Feature("verifications").Usage, Feature("verifications").Overage));
        var again = _view.Check("t1", "acme", "verifications", 0m)!;
        Assert.Equal((true, 0m, "within-limit"), (again.Allowed, again.Overage, again.Reason));
    }

    [Fact]
    public void An_event_count_feature_resets_daily()
    {
        Ingest(EntitlementRules.Call("c1", "acme", "2026-01-20T01:00:00Z"), EntitlementRules.Call("c2", "acme", "2026-01-20T23:59:59Z"));
        var full = Feature("api_calls");
        Assert.Equal((false, 2m, At("2026-01-21T00:00:00Z")), (full.HasAccess, full.Usage, full.ResetsAt));
        Assert.False(_view.Check("t1", "acme", "api_calls", 1m)!.Allowed);

        _clock.Now = At("2026-01-21T00:00:00Z");
        Assert.Equal((true, 0m), (Feature("api_calls").HasAccess, Feature("api_calls").Usage));
        Assert.True(_view.Check("t1", "acme", "api_calls", 2m)!.Allowed);
    }

    [Fact]
    public void Boolean_and_static_features_change_with_the_contract_version_on_its_effective_date()
    {
        _clock.Now = At("2026-02-28T23:59:59Z");
        var v1 = _view.Entitlements("t1", "acme");
        Assert.Equal(("standard", 1), (v1.Contract, v1.Version));
        Assert.Equal((true, true), (Feature("premium").HasAccess, Feature("premium").Enabled));
        Assert.Equal(5m, Feature("max_agents").Number);
        Assert.Equal((true, "basic"), (Feature("model_tier").HasAccess, Feature("model_tier").Text));
        Assert.Equal(2m, Feature("api_calls").Limit);

        _clock.Now = At("2026-03-01T00:00:00Z");
        Assert.Equal(2, _view.Entitlements("t1", "acme").Version);
        Assert.Equal((false, false), (Feature("premium").HasAccess, Feature("premium").Enabled));
        Assert.Equal(8m, Feature("max_agents").Number);
        Assert.Equal((false, null), (Feature("model_tier").HasAccess, Feature("model_tier").Text));
        Assert.Equal((true, null), (Feature("api_calls").HasAccess, Feature("api_calls").Limit));
        Assert.True(_view.Check("t1", "acme", "api_calls", 1_000m)!.Allowed);
        Assert.Equal(("soft", 10m), (Feature("resolutions").LimitMode, Feature("resolutions").Limit));
        Assert.False(Feature("verifications").HasAccess);
        Assert.False(_view.Check("t1", "acme", "verifications", 1m)!.Allowed);
    }

    [Fact]
    public void Unknown_features_and_customers_before_any_contract_have_no_answer_or_no_access()
    {
        Assert.Null(_view.Entitlement("t1", "acme", "nope"));
        Assert.Null(_view.Check("t1", "acme", "nope", 1m));
        _clock.Now = At("2025-12-31T23:59:59Z");
        var none = _view.Entitlements("t1", "acme");
        Assert.Null(none.Contract);
        Assert.All(none.Features, f => Assert.False(f.HasAccess));
    }

    [Fact]
    public void The_balance_shows_committed_usage_and_pending_outcomes_separately()
    {
        var billing = new UseCases(_store, new FixedRuleSet(Rules), _clock);
        billing.GrantCredits("t1", "acme", 100m, "USD", grantId: "g1");
        // r1: resolved (2 USD, billable) + verified (5 USD, window until 01-21 12:00 → pending at 01-20 12:00).
        Ingest(EntitlementRules.Resolved("r1", "acme", "2026-01-19T12:00:00Z", "t1"));

        var balance = Assert.Single(_view.Balance("t1", "acme").Balances);
        // Base fee 10 + resolved 2 are committed; verified 5 is pending.
        Assert.Equal(new PrepaidBalance("USD", 100m, 12m, 5m, 88m, 83m), balance);

        _clock.Now = At("2026-01-21T12:00:00Z");
        Assert.Equal(new PrepaidBalance("USD", 100m, 17m, 0m, 83m, 83m), Assert.Single(_view.Balance("t1", "acme").Balances));
        Assert.Equal(JsonSerializer.Serialize(_view.Balance("t1", "acme")),
            JsonSerializer.Serialize(EntitlementView.RecomputeBalance(Rules, _store, "t1", "acme", _clock.Now)));
    }
}
