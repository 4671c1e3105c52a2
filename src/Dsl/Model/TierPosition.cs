namespace RulesBilling.Dsl.Model;

/// <summary>
/// Where a tiered charge's position starts in a later segment of a split period (docs/dsl-spec.md §10.5):
/// the contract version of the later segment decides.
/// </summary>
public enum TierPosition
{
    /// <summary>No <c>tiers</c> clause: carry the position when that is cheaper than restarting, else restart; a mid-period price cut never costs more.</summary>
    Lower,

    /// <summary><c>tiers carry</c>: a segment's units continue where the period's earlier segments of the same charge stopped.</summary>
    Carry,

    /// <summary><c>tiers restart</c>: every segment starts at the first tier.</summary>
    Restart,

    /// <summary><c>tiers period</c>: a volume charge prices a segment's units at the tier the whole period's units reach (graduated charges carry).</summary>
    Period,
}
