using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Api.Features.Customers;

/// <summary>The engine's contract-assignment source in <c>serve</c>: the assignments made through the API, kept in the tenant store.</summary>
internal sealed class StoredContractAssignments(ITenantStore tenants) : IContractAssignmentSource
{
    public IReadOnlyList<ContractAssignment> AssignmentsOf(string tenant, string customer) => tenants.ListContractAssignments(tenant, customer);
}
