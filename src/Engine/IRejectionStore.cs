namespace RulesBilling.Engine;

/// <summary>Events that failed validation, kept with their reason and raw JSON until they are replayed.</summary>
public interface IRejectionStore
{
    /// <summary>Adds or replaces the rejection with the same (Tenant, RejectionId).</summary>
    void AddRejected(RejectedEvent rejected);

    /// <summary>Ordered by RejectedAt, then RejectionId.</summary>
    IReadOnlyList<RejectedEvent> ReadRejected(string tenant);

    /// <summary>Removing an unknown id does nothing.</summary>
    void RemoveRejected(string tenant, string rejectionId);
}
