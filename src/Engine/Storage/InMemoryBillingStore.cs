using System.Collections.Immutable;
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

    public IReadOnlyList<AppendStatus> AppendEvents(IReadOnlyList<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return [];

        return Write(state =>
        {
            var statuses = new AppendStatus[events.Count];
            var stored = state.Events.ToBuilder();
            var byCustomer = state.ByCustomer.ToBuilder();
            var sequence = state.EventSequence;
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var key = new EventKey(e.Tenant, e.Source, e.Id);
                if (stored.Contains(key))
                {
                    statuses[i] = AppendStatus.Duplicate;
                    continue;
                }
                statuses[i] = AppendStatus.Accepted;
                var copy = e with
                {
                    Time = e.Time.ToUniversalTime(),
                    StoredAt = e.StoredAt.ToUniversalTime(),
                    Sequence = ++sequence,
                };
                stored.Add(key);
                var customer = new CustomerKey(e.Tenant, e.Subject);
                byCustomer[customer] = byCustomer.TryGetValue(customer, out var list) ? list.Add(copy) : [copy];
            }
            return (state with { Events = stored.ToImmutable(), ByCustomer = byCustomer.ToImmutable(), EventSequence = sequence }, statuses);
        });
    }

    // One customer's read touches only that customer's events (the index), never the whole store.
    public IEnumerable<StoredEvent> ReadEvents(string tenant, string? customer = null, DateTimeOffset? storedBefore = null)
    {
        var state = Current;
        var events = customer is null
            ? state.ByCustomer.Where(c => c.Key.Tenant == tenant).SelectMany(c => c.Value)
            : state.ByCustomer.GetValueOrDefault(new CustomerKey(tenant, customer), []);
        return StoreOrder.Events(storedBefore is { } cutoff ? events.Where(e => e.StoredAt < cutoff) : events);
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

    private sealed record State(
        // Identities for dedup; the events themselves live once, in the per-customer index.
        ImmutableHashSet<EventKey> Events,
        ImmutableDictionary<CustomerKey, ImmutableList<StoredEvent>> ByCustomer,
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
            ImmutableHashSet<EventKey>.Empty,
            ImmutableDictionary<CustomerKey, ImmutableList<StoredEvent>>.Empty,
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
