using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine;

/// <summary>One rule set for every tenant: a CLI run, a dry run, a benchmark or a test.</summary>
public sealed class FixedRuleSet(CompiledRuleSet rules) : IRuleSetSource
{
    private readonly CompiledRuleSet _rules = rules ?? throw new ArgumentNullException(nameof(rules));

    public CompiledRuleSet RulesOf(string tenant) => _rules;
}
