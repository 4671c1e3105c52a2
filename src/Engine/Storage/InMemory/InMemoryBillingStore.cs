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
/// file store does and callers can never alias stored data. This file holds the snapshots and transactions; each
/// aggregate is in a file of its own (<c>InMemoryBillingStore.Events.cs</c>, <c>.Rejections.cs</c>, <c>.Invoices.cs</c>,
/// <c>.Credits.cs</c>).
/// </summary>
public sealed partial class InMemoryBillingStore : IBillingStore
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
