namespace RulesBilling.Engine.Storage;

/// <summary>Rejected events.</summary>
public sealed partial class InMemoryBillingStore
{
    public void AddRejected(RejectedEvent rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var copy = BsonDocuments.Rejected(BsonDocuments.Rejected(rejected));
        Write(state => state with { Rejected = state.Rejected.SetItem((copy.Tenant, copy.RejectionId), copy) });
    }

    public IReadOnlyList<RejectedEvent> ReadRejected(string tenant) =>
        StoreOrder.Rejected(Current.Rejected.Values.Where(r => r.Tenant == tenant));

    public void RemoveRejected(string tenant, string rejectionId) =>
        Write(state => state with { Rejected = state.Rejected.Remove((tenant, rejectionId)) });
}
