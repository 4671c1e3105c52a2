using LiteDB;

namespace RulesBilling.Engine.Storage;

/// <summary>Events: append with dedup on the (tenant, source, id) key under the writer lock, reads through the tenant and (tenant, customer) indexes.</summary>
public sealed partial class LiteDbBillingStore
{
    public IReadOnlyList<AppendStatus> AppendEvents(IReadOnlyList<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return [];

        return Write(() =>
        {
            // The check and the insert run in one transaction under the writer lock: a key counts as taken only
            // once the insert that takes it commits, and a repeat inside the batch is a duplicate of the first.
            var statuses = new AppendStatus[events.Count];
            var inBatch = new HashSet<string>(StringComparer.Ordinal);
            var fresh = new List<(string Key, StoredEvent Event)>();
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var key = StoreKey.Compose(e.Tenant, e.Source, e.Id);
                var duplicate = !inBatch.Add(key) || _events.FindById(key) is not null;
                statuses[i] = duplicate ? AppendStatus.Duplicate : AppendStatus.Accepted;
                if (!duplicate) fresh.Add((key, e));
            }

            if (fresh.Count > 0)
            {
                var last = Advance(EventSequence, fresh.Count);
                _events.InsertBulk(fresh.Select((f, n) => BsonDocuments.Event(f.Key, f.Event with { Sequence = last + 1 + n })));
            }
            return statuses;
        });
    }

    public IEnumerable<StoredEvent> ReadEvents(string tenant, string? customer = null, DateTimeOffset? storedBefore = null)
    {
        var events = EventQuery(tenant, customer).ToEnumerable().Select(BsonDocuments.Event)
            .Where(e => e.Tenant == tenant && (customer is null || e.Subject == customer))
            .Where(e => storedBefore is not { } cutoff || e.StoredAt < cutoff);
        return StoreOrder.Events(events);
    }

    /// <summary>
    /// A customer's events come through the (tenant, customer) index "tc", so one customer's read costs that
    /// customer's events, not the tenant's; <see cref="EventQueryPlan"/> shows LiteDB's plan for it.
    /// </summary>
    private ILiteQueryable<BsonDocument> EventQuery(string tenant, string? customer) => customer is null
        ? _events.Query().Where(Query.EQ("tenant", tenant))
        : _events.Query().Where(LiteDbQuery.Equal("tc", StoreKey.Compose(tenant, customer)));

    /// <summary>LiteDB's EXPLAIN of the event read (index chosen, cost), for tests and operators.</summary>
    internal BsonDocument EventQueryPlan(string tenant, string? customer) => EventQuery(tenant, customer).GetPlan();

    // Only the subject field: decoding and sorting every event of the tenant (ReadEvents) is not needed for a distinct list.
    public IReadOnlyList<string> Customers(string tenant) =>
        StoreOrder.Customers(_events.Find(Query.EQ("tenant", tenant)).Where(d => d["tenant"].AsString == tenant).Select(d => d["subject"].AsString));
}
