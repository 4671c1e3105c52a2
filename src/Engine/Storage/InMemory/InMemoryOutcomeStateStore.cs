using System.Collections.Immutable;
using System.Text;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Storage;

/// <summary>Outcome state as an immutable module of the in-memory store's snapshot: it commits and rolls back with it.</summary>
internal sealed class InMemoryOutcomeStateStore(InMemoryBillingStore store) : IOutcomeStateStore
{
    private const string Module = "outcome-state";

    public void LockTenant(string tenant, bool exclusive)
    {
        // The in-memory store has one writer at a time.
    }

    public OutcomeStateTenant? Tenant(string tenant) => State.Tenants.GetValueOrDefault(tenant);

    public void SetRuleSet(string tenant, string ruleSetHash) => Change(s => s with
    {
        Tenants = s.Tenants.SetItem(tenant, (s.Tenants.GetValueOrDefault(tenant) ?? new OutcomeStateTenant("", 0)) with { RuleSetHash = ruleSetHash }),
    });

    public void ClearTenant(string tenant) => Change(s => s with
    {
        Entries = s.Entries.RemoveRange(s.Entries.Keys.Where(k => k.Tenant == tenant)),
        Changes = s.Changes.RemoveRange(s.Changes.Keys.Where(k => k.Tenant == tenant)),
    });

    public IReadOnlyList<OutcomeStateEntry> ReadCustomer(string tenant, string customer) =>
        State.Entries.TryGetValue((tenant, customer), out var entries) ? new DecodedOnRead([.. entries]) : [];

    public IReadOnlyList<OutcomeStateEntry> ReadCustomerChangedSince(string tenant, string customer, long version) =>
        ReadCustomer(tenant, customer).Where(e => e.Name.StartsWith('g') && Outcomes.GroupEntryCodec.Refs(e.Json).Version > version).ToList();

    public IReadOnlyList<string?> FindForUpdate(string tenant, IReadOnlyList<(string Customer, string Entry)> entries)
    {
        var state = State;
        return [.. entries.Select(e => state.Entries.TryGetValue((tenant, e.Customer), out var mine) ? mine.GetValueOrDefault(e.Entry) is { } json ? Encoding.UTF8.GetString(json) : null : null)];
    }

    public IReadOnlyList<StoredEvent> FindEvents(string tenant, string customer, IReadOnlyList<EventIdentity> events) =>
        [.. events.Select(e => store.FindEvent(tenant, e.Source, e.Id)).OfType<StoredEvent>()];

    public bool HasEventsBeyond(string tenant, int count) => store.ReadEvents(tenant).Skip(count).Any();

    public void Put(string tenant, IReadOnlyList<OutcomeStateWrite> added, IReadOnlyList<OutcomeStateWrite> replaced) => Change(s =>
    {
        var all = s.Entries.ToBuilder();
        foreach (var (customer, entry, json, _) in added.Concat(replaced))
        {
            var mine = all.GetValueOrDefault((tenant, customer)) ?? ImmutableSortedDictionary.Create<string, byte[]>(StringComparer.Ordinal);
            all[(tenant, customer)] = mine.SetItem(entry, Encoding.UTF8.GetBytes(json));
        }
        return s with { Entries = all.ToImmutable() };
    });

    public long Touch(string tenant, IReadOnlyCollection<string> customers)
    {
        long version = 0;
        Change(s =>
        {
            var row = s.Tenants.GetValueOrDefault(tenant) ?? new OutcomeStateTenant("", 0);
            version = row.Version + 1;
            return s with
            {
                Tenants = s.Tenants.SetItem(tenant, row with { Version = version }),
                Changes = s.Changes.SetItems(customers.Select(c => KeyValuePair.Create((tenant, c), version))),
            };
        });
        return version;
    }

    public IReadOnlyList<OutcomeStateChange> ChangedSince(string tenant, long version) =>
        State.Changes.Where(c => c.Key.Tenant == tenant && c.Value > version)
            .Select(c => new OutcomeStateChange(c.Key.Customer, c.Value))
            .OrderBy(c => c.Version)
            .ToList();

    public long? CustomerVersion(string tenant, string customer) =>
        State.Changes.TryGetValue((tenant, customer), out var version) ? version : null;

    public IReadOnlyList<string> Tenants() => State.Tenants.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// A customer's entries as of the read, each decoded to its JSON text only when it is read: a period close walks
    /// them once, so it holds one entry's text at a time instead of all of them (simulate reads customers with
    /// 100,000 entries).
    /// </summary>
    private sealed class DecodedOnRead(KeyValuePair<string, byte[]>[] entries) : IReadOnlyList<OutcomeStateEntry>
    {
        public int Count => entries.Length;

        public OutcomeStateEntry this[int index] => new(entries[index].Key, Encoding.UTF8.GetString(entries[index].Value));

        public IEnumerator<OutcomeStateEntry> GetEnumerator()
        {
            for (var i = 0; i < entries.Length; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private Snapshot State => store.ReadModule(Module) as Snapshot ?? Snapshot.Empty;

    private void Change(Func<Snapshot, Snapshot> change) =>
        store.WriteModule(Module, current => ((object)change(current as Snapshot ?? Snapshot.Empty), 0));

    private sealed record Snapshot(
        ImmutableDictionary<string, OutcomeStateTenant> Tenants,
        // UTF-8, as the other stores keep it: an entry is mostly ASCII JSON, half the size of a .NET string (simulate keeps every entry).
        ImmutableDictionary<(string Tenant, string Customer), ImmutableSortedDictionary<string, byte[]>> Entries,
        ImmutableDictionary<(string Tenant, string Customer), long> Changes)
    {
        public static readonly Snapshot Empty = new(
            ImmutableDictionary.Create<string, OutcomeStateTenant>(StringComparer.Ordinal),
            ImmutableDictionary<(string, string), ImmutableSortedDictionary<string, byte[]>>.Empty,
            ImmutableDictionary<(string, string), long>.Empty);
    }
}
