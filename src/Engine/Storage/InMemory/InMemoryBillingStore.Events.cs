using System.Text;

namespace RulesBilling.Engine.Storage;

/// <summary>Events: per-customer append-only lists in the snapshot, identities deduplicated against the state that holds them.</summary>
public sealed partial class InMemoryBillingStore
{
    public IReadOnlyList<AppendStatus> AppendEvents(IReadOnlyList<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return [];

        return Write(state =>
        {
            var statuses = new AppendStatus[events.Count];
            var byCustomer = state.ByCustomer.ToBuilder();
            var sequence = state.EventSequence;
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var key = new EventKey(e.Tenant, e.Source, e.Id);
                // An identity counts only if this state holds its entry: one left by a rolled-back transaction is
                // past its customer's count here, or its slot holds another entry since, and is taken over.
                if (_identities.TryGetValue(key, out var taken) && Holds(byCustomer, taken.Customer, taken.Entry))
                {
                    statuses[i] = AppendStatus.Duplicate;
                    continue;
                }
                statuses[i] = AppendStatus.Accepted;
                var customer = new CustomerKey(Pooled(e.Tenant), Pooled(e.Subject));
                var list = byCustomer.GetValueOrDefault(customer, AppendOnlyList<Entry>.Empty);
                var entry = new Entry(Pooled(e.Source), e.Id, Pooled(e.Type), e.Time.UtcTicks, e.StoredAt.UtcTicks, ++sequence,
                    _keepRawData || e.Fields is null ? Encoding.UTF8.GetBytes(e.DataJson) : null, e.Fields, list.Count)
                {
                    Extensions = e.Extensions,
                };
                byCustomer[customer] = list.Add(entry);
                _identities[key] = (customer, entry);
            }
            return (state with { ByCustomer = byCustomer.ToImmutable(), EventSequence = sequence }, statuses);
        });
    }

    // One customer's read touches only that customer's events (the index), never the whole store. The snapshot and
    // the order are taken at the call; the events are made one at a time as the caller reads them, so a pass over a
    // customer's 100,000 events holds one of them, not all with their JSON.
    public IEnumerable<StoredEvent> ReadEvents(string tenant, string? customer = null, DateTimeOffset? storedBefore = null)
    {
        var state = Current;
        var lists = customer is null
            ? state.ByCustomer.Where(c => c.Key.Tenant == tenant).ToList()
            : state.ByCustomer.TryGetValue(new CustomerKey(tenant, customer), out var one) ? [new(new CustomerKey(tenant, customer), one)] : [];
        var selected = new List<(CustomerKey Key, Entry Entry)>();
        foreach (var (key, list) in lists)
        {
            foreach (var entry in list.AsSpan())
            {
                if (storedBefore is { } cutoff && entry.StoredAtTicks >= cutoff.UtcTicks) continue;
                selected.Add((key, entry));
            }
        }
        // StoreOrder.Events: time, then source, then id (identities are unique within a tenant, so the order is total).
        selected.Sort(static (a, b) =>
        {
            var c = a.Entry.TimeTicks.CompareTo(b.Entry.TimeTicks);
            if (c == 0) c = string.CompareOrdinal(a.Entry.Source, b.Entry.Source);
            return c != 0 ? c : string.CompareOrdinal(a.Entry.Id, b.Entry.Id);
        });
        return selected.Select(s => s.Entry.ToStored(s.Key));
    }

    /// <summary>
    /// The stored event with this identity as the caller's transaction sees it, or null (the outcome state's key groups
    /// reference their members by identity).
    /// </summary>
    internal StoredEvent? FindEvent(string tenant, string source, string id)
    {
        lock (_writeLock)
        {
            if (!_identities.TryGetValue(new EventKey(tenant, source, id), out var taken)) return null;
            var byCustomer = Current.ByCustomer;
            return byCustomer.TryGetValue(taken.Customer, out var list) && taken.Entry.Position < list.Count
                && ReferenceEquals(list.AsSpan()[taken.Entry.Position], taken.Entry)
                ? taken.Entry.ToStored(taken.Customer)
                : null;
        }
    }

    public IReadOnlyList<string> Customers(string tenant) =>
        StoreOrder.Customers(Current.ByCustomer.Keys.Where(c => c.Tenant == tenant).Select(c => c.Customer));
}
