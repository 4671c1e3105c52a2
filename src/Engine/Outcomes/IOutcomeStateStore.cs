namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// Where the incrementally maintained outcome state lives, next to the events of the same store (see
/// docs/architecture.md "Outcome state"). Entries are opaque JSON documents per (tenant, customer, entry name); the
/// tenant row records the rule-set hash the state was built with and a change version. Every write joins the
/// transaction of the <see cref="IStoreSession"/> it was found in, so state commits or rolls back with the events.
/// </summary>
internal interface IOutcomeStateStore
{
    /// <summary>
    /// Takes the tenant's state lock for this transaction: shared for an incremental update (updates of different
    /// key groups run side by side), exclusive for a rebuild. A no-op where the store has a single writer.
    /// </summary>
    void LockTenant(string tenant, bool exclusive);

    /// <summary>The tenant's state row, or null when its state was never built.</summary>
    OutcomeStateTenant? Tenant(string tenant);

    /// <summary>Records the rule-set hash the state is now valid for (empty: stale, rebuild before reading).</summary>
    void SetRuleSet(string tenant, string ruleSetHash);

    /// <summary>Deletes every entry and change of the tenant (not its tenant row).</summary>
    void ClearTenant(string tenant);

    /// <summary>Every entry of the customer, ordinal by entry name.</summary>
    IReadOnlyList<OutcomeStateEntry> ReadCustomer(string tenant, string customer);

    /// <summary>
    /// The customer's key-group entries that changed after change version <paramref name="version"/> (any order): what
    /// the notification pass reads, without reading the customer's whole state.
    /// </summary>
    IReadOnlyList<OutcomeStateEntry> ReadCustomerChangedSince(string tenant, string customer, long version);

    /// <summary>
    /// Locks entries for the rest of the transaction (serializing concurrent updates of a key group), in the order
    /// given, and reads them: one answer per entry, null where it does not exist yet.
    /// </summary>
    IReadOnlyList<string?> FindForUpdate(string tenant, IReadOnlyList<(string Customer, string Entry)> entries);

    /// <summary>
    /// The stored events of the customer with these identities, as this transaction sees them (any order; an identity
    /// not stored is left out): a key-group entry references its members, and re-detecting the group binds them again.
    /// </summary>
    IReadOnlyList<StoredEvent> FindEvents(string tenant, string customer, IReadOnlyList<EventIdentity> events);

    /// <summary>Whether the tenant has more than <paramref name="count"/> events, as this transaction sees them.</summary>
    bool HasEventsBeyond(string tenant, int count);

    /// <summary>
    /// Writes entries of the tenant in one call: <paramref name="added"/> are entries this
    /// transaction knows do not exist yet (a store may insert them without looking them up), <paramref name="replaced"/>
    /// may exist and are inserted or replaced.
    /// </summary>
    void Put(string tenant, IReadOnlyList<OutcomeStateWrite> added, IReadOnlyList<OutcomeStateWrite> replaced);

    /// <summary>Moves the tenant's change version forward by one and records it as the customers' latest change.</summary>
    long Touch(string tenant, IReadOnlyCollection<string> customers);

    /// <summary>Customers whose state changed after <paramref name="version"/>, with their latest change version, by version.</summary>
    IReadOnlyList<OutcomeStateChange> ChangedSince(string tenant, long version);

    /// <summary>The customer's latest change version, or null when its state never changed.</summary>
    long? CustomerVersion(string tenant, string customer);

    /// <summary>Every tenant that has a state row, ordinal.</summary>
    IReadOnlyList<string> Tenants();
}

/// <summary>An event's identity within its tenant, with its time (PostgreSQL partitions events by it).</summary>
internal readonly record struct EventIdentity(string Source, string Id, DateTimeOffset Time);

internal sealed record OutcomeStateTenant(string RuleSetHash, long Version);

internal sealed record OutcomeStateEntry(string Name, string Json);

/// <param name="Version">The change version the entry was written at (a key group's), 0 for an event's own exclusions.</param>
internal readonly record struct OutcomeStateWrite(string Customer, string Entry, string Json, long Version);

internal sealed record OutcomeStateChange(string Customer, long Version);
