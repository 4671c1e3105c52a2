namespace RulesBilling.Dsl.Model;

/// <summary>The result of checking and compiling a rule set: everything the engine runs.</summary>
public sealed record CompiledRuleSet(
    IReadOnlyDictionary<string, EventSchema> Events,
    IReadOnlyList<OutcomeRule> Outcomes,
    IReadOnlyList<CostRule> Costs,
    IReadOnlyDictionary<string, PricingPlan> Pricings,
    IReadOnlyList<ContractVersion> Contracts,
    /// <summary>SHA-256 (hex) over all rule files (path-sorted, content) — identifies the rule-set version.</summary>
    string Hash);
