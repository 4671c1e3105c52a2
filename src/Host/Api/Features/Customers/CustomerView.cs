using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Api.Features.Customers;

/// <summary>A customer as the API shows it, with its contract assignments (oldest first; empty = the rule files decide).</summary>
internal sealed record CustomerView(string Id, string? Name, DateTimeOffset CreatedAt, IReadOnlyList<ContractAssignmentView> Contracts)
{
    public static CustomerView From(CustomerRecord c, ITenantStore store) =>
        new(c.Id, c.Name, c.CreatedAt, store.ListContractAssignments(c.Tenant, c.Id).Select(ContractAssignmentView.From).ToList());
}

/// <summary>One contract assignment: in force from UTC midnight of <see cref="EffectiveFrom"/> until the next one.</summary>
internal sealed record ContractAssignmentView(string Contract, int? Version, DateOnly EffectiveFrom)
{
    public static ContractAssignmentView From(ContractAssignment a) => new(a.Contract, a.Version, a.EffectiveFrom);
}
