namespace RulesBilling.Engine;

/// <summary>
/// Where the use cases get a customer's explicit contract assignments (see <see cref="ContractAssignment"/>); they
/// win over the rule files' customer lists. The Host answers from its tenant store.
/// </summary>
public interface IContractAssignmentSource
{
    /// <summary>The assignments of (<paramref name="tenant"/>, <paramref name="customer"/>), oldest first; none when there are none.</summary>
    IReadOnlyList<ContractAssignment> AssignmentsOf(string tenant, string customer);
}
