using RulesBilling.Dsl.Model;

namespace RulesBilling.Host.Api.Features.RuleSets;

/// <summary>The engine's rule source in <c>serve</c>: the rule set <see cref="RuleSetCatalog"/> has in force for the tenant.</summary>
internal sealed class CatalogRuleSets(RuleSetCatalog catalog) : IRuleSetSource
{
    public CompiledRuleSet RulesOf(string tenant) => catalog.Require(tenant).RuleSet;
}
