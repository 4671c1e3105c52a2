using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine;

/// <summary>
/// Where the use cases get a tenant's compiled rules: asked once per call, so a rule set uploaded between calls is in
/// force from the next one. The Host answers from its rule-set catalogue; a CLI run or a dry run has one rule set
/// (<see cref="FixedRuleSet"/>).
/// </summary>
public interface IRuleSetSource
{
    /// <summary>The rule set in force now for <paramref name="tenant"/>; throws when the tenant has none.</summary>
    CompiledRuleSet RulesOf(string tenant);
}
