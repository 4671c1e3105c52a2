using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Ingestion;

namespace RulesBilling.Engine.Tests.Entitlements;

/// <summary>Entitlements follow the contract a customer is billed under, including an effective-dated assignment.</summary>
public sealed class EntitlementAssignmentTests : IDisposable
{
    private static readonly CompiledRuleSet Rules = Compile(EntitlementRules.Text + """

        contract enterprise version 1 effective 2026-01-01 {
          customers "enterprise-pilot"
          pricing support
          features {
            premium
            max_agents: 50
            model_tier: "pro"
          }
        }
        """);

    private static readonly IReadOnlyList<ContractAssignment> AcmeToEnterprise =
        [new ContractAssignment("acme", "enterprise", null, new DateOnly(2026, 2, 1))];

    private readonly InMemoryBillingStore _store = new();
    private readonly TestClock _clock = new(At("2026-01-20T12:00:00Z"));

    public void Dispose() => _store.Dispose();

    [Fact]
    public void An_assignment_moves_the_customer_to_the_assigned_contracts_grants_on_its_date()
    {
        var view = new EntitlementView(_store, _ => Rules, _clock, assignments: (_, customer) => customer == "acme" ? AcmeToEnterprise : []);

        var before = view.Entitlements("t1", "acme");
        Assert.Equal(("standard", 5m, "basic"), (before.Contract, Static(before, "max_agents").Number, Static(before, "model_tier").Text));

        _clock.Now = At("2026-02-10T00:00:00Z");
        var after = view.Entitlements("t1", "acme");
        Assert.Equal(("enterprise", 50m, "pro"), (after.Contract, Static(after, "max_agents").Number, Static(after, "model_tier").Text));
        Assert.Equal(after.Features, EntitlementView.Recompute(Rules, _store, "t1", "acme", _clock.Now, AcmeToEnterprise).Features);

        // Another customer keeps the rule files' default contract.
        Assert.Equal("standard", view.Entitlements("t1", "globex").Contract);
    }

    private static FeatureEntitlement Static(CustomerEntitlements entitlements, string feature) =>
        entitlements.Features.Single(f => f.Feature == feature);

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static CompiledRuleSet Compile(string text)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("entitlements.rules", text)]);
        Assert.True(compilation.Success, compilation.Render());
        return compilation.RuleSet!;
    }
}
