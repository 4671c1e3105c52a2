using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Api.Features.RuleSets;

/// <summary>
/// Applies contract assignments made through the API to a compiled rule set: an assigned customer is put on the
/// explicit customer list of the assigned contract (every version, or only the pinned one) and taken off every
/// other list. Explicit lists win over <c>customers default</c>, so the engine's own contract resolution then
/// bills the customer under the assignment — no second resolution path.
/// </summary>
internal static class ContractAssignments
{
    public static CompiledRuleSet Apply(CompiledRuleSet rules, IReadOnlyList<CustomerRecord> customers)
    {
        var assigned = customers.Where(c => c.Contract is not null).ToList();
        if (assigned.Count == 0) return rules;

        var contracts = rules.Contracts.Select(version =>
        {
            var list = version.Customers.Where(c => assigned.All(a => a.Id != c)).ToList();
            list.AddRange(assigned
                .Where(a => a.Contract == version.Contract && (a.ContractVersion is null || a.ContractVersion == version.Version))
                .Select(a => a.Id));
            list.Sort(StringComparer.Ordinal);
            return version with { Customers = list };
        }).ToList();
        return rules with { Contracts = contracts };
    }
}
