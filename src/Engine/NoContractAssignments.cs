namespace RulesBilling.Engine;

/// <summary>No explicit assignments: the rule files' customer lists alone decide (a CLI run, a dry run).</summary>
public sealed class NoContractAssignments : IContractAssignmentSource
{
    public static readonly NoContractAssignments Instance = new();

    private NoContractAssignments()
    {
    }

    public IReadOnlyList<ContractAssignment> AssignmentsOf(string tenant, string customer) => [];
}
