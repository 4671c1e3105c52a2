using LiteDB;

namespace RulesBilling.Engine.Storage;

/// <summary>Rejected events.</summary>
public sealed partial class LiteDbBillingStore
{
    public void AddRejected(RejectedEvent rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        Write(() => _rejected.Upsert(BsonDocuments.Rejected(rejected)));
    }

    public IReadOnlyList<RejectedEvent> ReadRejected(string tenant) =>
        StoreOrder.Rejected(_rejected.Find(Query.EQ("tenant", tenant)).Select(BsonDocuments.Rejected).Where(r => r.Tenant == tenant));

    public void RemoveRejected(string tenant, string rejectionId) =>
        Write(() => _rejected.Delete(StoreKey.Compose(tenant, rejectionId)));
}
