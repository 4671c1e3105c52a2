using System.Collections.Immutable;
using System.Text;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// <see cref="IBillingStore"/> in process memory, for simulation and tests. Same semantics as
/// <see cref="LiteDbBillingStore"/> (dedup, ordering, sequences, transactions), but nothing survives the process.
/// The state is an immutable snapshot: writes build a new one under a lock and publish it on commit, so readers on
/// other threads never see a half-done batch or an uncommitted <see cref="InTransaction{T}"/>. Non-event records
/// pass through the LiteDB document mapping on the way in, so timestamps are normalized to UTC exactly as the
/// file store does and callers can never alias stored data.
/// </summary>
public sealed class InMemoryBillingStore : IBillingStore
{
    private readonly object _writeLock = new();
    private volatile State _committed = State.Empty;
    // The state of the transaction the lock holder is running; null outside InTransaction.
    private State? _pending;
    // Written and read only under the lock, by writers: each identity with the entry last stored for it. A state
    // holds the identity iff it holds that entry (see Holds), so a rolled-back transaction needs no undo here.
    private readonly Dictionary<EventKey, (CustomerKey Customer, Entry Entry)> _identities = [];
    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);
    private readonly bool _keepRawData;

    public InMemoryBillingStore()
        : this(keepRawData: true)
    {
    }

    /// <param name="keepRawData">
    /// False for a dry run that never changes its rule set (<c>DryRunSession.Compact</c>): an event stored with its
    /// typed form keeps only that, since binding it again under the same rules reads the typed form and never the JSON
    /// (<see cref="TypedFields.TryBind"/> accepts what <see cref="TypedFields.Encode"/> wrote for the same schema); it
    /// is then read back with empty <see cref="StoredEvent.DataJson"/>. Events without a typed form keep their JSON.
    /// </param>
    internal InMemoryBillingStore(bool keepRawData) => _keepRawData = keepRawData;

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

    public void SaveInvoice(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var copy = BsonDocuments.Invoice(BsonDocuments.Invoice(invoice));
        Write(state => state with { Invoices = state.Invoices.SetItem((copy.Tenant, copy.Id), copy) });
    }

    public Invoice? FindInvoice(string tenant, string invoiceId) =>
        Current.Invoices.GetValueOrDefault((tenant, invoiceId));

    public IReadOnlyList<Invoice> ListInvoices(string tenant, string? customer = null) =>
        StoreOrder.Invoices(Current.Invoices.Values.Where(i => i.Tenant == tenant && (customer is null || i.Customer == customer)));

    public long NextInvoiceNumber(string tenant) => Write(state =>
    {
        var next = state.InvoiceNumbers.GetValueOrDefault(tenant) + 1;
        return (state with { InvoiceNumbers = state.InvoiceNumbers.SetItem(tenant, next) }, next);
    });

    public void SaveGrant(CreditGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var copy = BsonDocuments.Grant(BsonDocuments.Grant(grant));
        Write(state => state with { Grants = state.Grants.SetItem((copy.Tenant, copy.Id), copy) });
    }

    public IReadOnlyList<CreditGrant> ListGrants(string tenant, string customer) =>
        StoreOrder.Grants(Current.Grants.Values.Where(g => g.Tenant == tenant && g.Customer == customer));

    public void AppendLedger(CreditLedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var copy = BsonDocuments.Ledger(BsonDocuments.Ledger(entry, 0));
        Write(state =>
        {
            if (state.LedgerIds.Contains((copy.Tenant, copy.Id)))
            {
                throw new InvalidOperationException($"ledger entry '{copy.Id}' already exists for tenant '{copy.Tenant}'; ledger entries are append-only");
            }
            return state with { Ledger = state.Ledger.Add(copy), LedgerIds = state.LedgerIds.Add((copy.Tenant, copy.Id)) };
        });
    }

    public IReadOnlyList<CreditLedgerEntry> ReadLedger(string tenant, string customer) =>
        Current.Ledger.Where(e => e.Tenant == tenant && e.Customer == customer).ToList();

    /// <summary>
    /// Runs <paramref name="work"/> as one transaction: its writes are published together when it returns and
    /// discarded when it throws. It must run synchronously on the calling thread; a nested call joins the outer one.
    /// </summary>
    public T InTransaction<T>(Func<IBillingStore, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_writeLock)
        {
            if (_pending is not null) return work(this);
            _pending = _committed;
            try
            {
                var result = work(this);
                _committed = _pending;
                return result;
            }
            finally
            {
                _pending = null;
            }
        }
    }

    /// <summary>Nothing to release: the state is plain managed memory.</summary>
    public void Dispose()
    {
    }

    /// <summary>
    /// Lets another module (payments) keep its own immutable state inside this store's snapshots, so its writes
    /// commit or roll back with <see cref="InTransaction{T}"/> exactly like the store's own.
    /// </summary>
    internal T WriteModule<T>(string module, Func<object?, (object State, T Result)> change) => Write(state =>
    {
        var (next, result) = change(state.Modules.GetValueOrDefault(module));
        return (state with { Modules = state.Modules.SetItem(module, next) }, result);
    });

    /// <summary>The module's state as this thread sees it (its own transaction, else the last commit).</summary>
    internal object? ReadModule(string module) => Current.Modules.GetValueOrDefault(module);

    /// <summary>The lock holder sees its own transaction; everyone else sees the last committed snapshot.</summary>
    private State Current => Monitor.IsEntered(_writeLock) && _pending is { } pending ? pending : _committed;

    private void Write(Func<State, State> change) => Write(state => (change(state), 0));

    private T Write<T>(Func<State, (State State, T Result)> change)
    {
        lock (_writeLock)
        {
            var (next, result) = change(_pending ?? _committed);
            if (_pending is not null) _pending = next;
            else _committed = next;
            return result;
        }
    }

    private readonly record struct EventKey(string Tenant, string Source, string Id);

    private readonly record struct CustomerKey(string Tenant, string Customer);

    /// <summary>
    /// An event as kept here, about a third of a <see cref="StoredEvent"/> with its strings: tenant and customer
    /// are the index key, repeated strings (source, type) are pooled, the JSON is UTF-8 (exact for any JSON text a
    /// parser accepted, which has no lone surrogates; null when the store keeps only the typed form), times are UTC ticks.
    /// </summary>
    private sealed record Entry(
        string Source, string Id, string Type, long TimeTicks, long StoredAtTicks, long Sequence, byte[]? Data, TypedFields? Fields, int Position)
    {
        public StoredEvent ToStored(CustomerKey key) => new(
            key.Tenant, Source, Id, Type, key.Customer, new DateTimeOffset(TimeTicks, TimeSpan.Zero), new DateTimeOffset(StoredAtTicks, TimeSpan.Zero),
            Sequence, Data is null ? "" : Encoding.UTF8.GetString(Data))
        {
            Fields = Fields,
            Extensions = Extensions,
        };

        public IReadOnlyDictionary<string, string> Extensions { get; init; } = EventExtensions.None;
    }

    private static bool Holds(ImmutableDictionary<CustomerKey, AppendOnlyList<Entry>>.Builder byCustomer, CustomerKey customer, Entry entry) =>
        byCustomer.TryGetValue(customer, out var list) && entry.Position < list.Count && ReferenceEquals(list.AsSpan()[entry.Position], entry);

    /// <summary>One instance per distinct string (sources, types, tenants, customers repeat across millions of events).</summary>
    private string Pooled(string value)
    {
        if (_pool.TryGetValue(value, out var pooled)) return pooled;
        _pool[value] = value;
        return value;
    }

    private sealed record State(
        // The events, once, in the per-customer index; identities for dedup are in _identities.
        ImmutableDictionary<CustomerKey, AppendOnlyList<Entry>> ByCustomer,
        long EventSequence,
        ImmutableDictionary<(string Tenant, string Id), RejectedEvent> Rejected,
        ImmutableDictionary<(string Tenant, string Id), Invoice> Invoices,
        ImmutableDictionary<string, long> InvoiceNumbers,
        ImmutableDictionary<(string Tenant, string Id), CreditGrant> Grants,
        ImmutableList<CreditLedgerEntry> Ledger,
        ImmutableHashSet<(string Tenant, string Id)> LedgerIds,
        ImmutableDictionary<string, object> Modules)
    {
        public static readonly State Empty = new(
            ImmutableDictionary<CustomerKey, AppendOnlyList<Entry>>.Empty,
            0,
            ImmutableDictionary<(string, string), RejectedEvent>.Empty,
            ImmutableDictionary<(string, string), Invoice>.Empty,
            ImmutableDictionary.Create<string, long>(StringComparer.Ordinal),
            ImmutableDictionary<(string, string), CreditGrant>.Empty,
            ImmutableList<CreditLedgerEntry>.Empty,
            ImmutableHashSet<(string, string)>.Empty,
            ImmutableDictionary.Create<string, object>(StringComparer.Ordinal));
    }
}
