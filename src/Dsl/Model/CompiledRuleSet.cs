namespace RulesBilling.Dsl.Model;

/// <summary>The result of checking and compiling a rule set: everything the engine runs.</summary>
public sealed record CompiledRuleSet(
    IReadOnlyDictionary<string, EventSchema> Events,
    IReadOnlyList<OutcomeRule> Outcomes,
    IReadOnlyList<CostRule> Costs,
    IReadOnlyDictionary<string, PricingPlan> Pricings,
    IReadOnlyList<ContractVersion> Contracts,
    /// <summary>SHA-256 (hex) over all rule files (path-sorted, content) — identifies the rule-set version.</summary>
    string Hash)
{
    /// <summary>Declared features by name (ordinal order).</summary>
    public IReadOnlyDictionary<string, FeatureRule> Features { get; init; } = new SortedDictionary<string, FeatureRule>(StringComparer.Ordinal);

    /// <summary>The feature grants of every contract version that grants any, ordered by contract then version.</summary>
    public IReadOnlyList<ContractFeatures> FeatureGrants { get; init; } = [];

    /// <summary>The grants of one contract version; empty when it grants nothing.</summary>
    public IReadOnlyList<FeatureGrant> GrantsOf(ContractVersion version) =>
        FeatureGrants.FirstOrDefault(g => g.Contract == version.Contract && g.Version == version.Version)?.Grants ?? [];
}
