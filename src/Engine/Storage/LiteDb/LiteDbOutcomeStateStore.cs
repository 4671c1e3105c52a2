using LiteDB;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// Outcome state in the LiteDB file of the events: collection <c>outcome_state</c> (one document per entry, indexed
/// by <c>tcv</c> = tenant␟customer␟change version, which serves both a customer's entries and those changed after a
/// version), <c>outcome_state_changes</c> (latest change per customer) and <c>outcome_state_tenants</c>. Writes go through the store's single writer and join its transaction.
/// </summary>
internal sealed class LiteDbOutcomeStateStore : IOutcomeStateStore
{
    private const char Separator = '\u001f';

    private readonly LiteDbBillingStore _store;
    private readonly ILiteCollection<BsonDocument> _entries;
    private readonly ILiteCollection<BsonDocument> _changes;
    private readonly ILiteCollection<BsonDocument> _tenants;
    private readonly ILiteCollection<BsonDocument> _events;

    public LiteDbOutcomeStateStore(LiteDbBillingStore store)
    {
        _store = store;
        _entries = store.ModuleCollection("outcome_state");
        _changes = store.ModuleCollection("outcome_state_changes");
        _tenants = store.ModuleCollection("outcome_state_tenants");
        _events = store.ModuleCollection("events");
        store.WriteModule(() =>
        {
            _entries.EnsureIndex("tcv");
            _changes.EnsureIndex("tenant");
            return 0;
        });
    }

    public void LockTenant(string tenant, bool exclusive)
    {
        // The LiteDB store has a single serialized writer.
    }

    public OutcomeStateTenant? Tenant(string tenant) =>
        _tenants.FindById(tenant) is { } doc ? new OutcomeStateTenant(doc["hash"].AsString, doc["version"].AsInt64) : null;

    public void SetRuleSet(string tenant, string ruleSetHash) => _store.WriteModule(() =>
    {
        var version = Tenant(tenant)?.Version ?? 0;
        _tenants.Upsert(new BsonDocument { ["_id"] = tenant, ["hash"] = ruleSetHash, ["version"] = version });
        return 0;
    });

    public void ClearTenant(string tenant) => _store.WriteModule(() =>
    {
        _entries.DeleteMany(Query.StartsWith("tcv", tenant + Separator));
        _changes.DeleteMany(Query.EQ("tenant", tenant));
        return 0;
    });

    public IReadOnlyList<OutcomeStateEntry> ReadCustomer(string tenant, string customer) =>
        CustomerQuery(tenant, customer).ToEnumerable()
            .Select(d => new OutcomeStateEntry(d["entry"].AsString, d["json"].AsString))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>LiteDB's EXPLAIN of the read of a customer's entries.</summary>
    internal BsonDocument CustomerQueryPlan(string tenant, string customer) => CustomerQuery(tenant, customer).GetPlan();

    private ILiteQueryable<BsonDocument> CustomerQuery(string tenant, string customer) =>
        _entries.Query().Where(LiteDbQuery.StartsWith("tcv", TenantCustomer(tenant, customer) + Separator));

    public IReadOnlyList<OutcomeStateEntry> ReadCustomerChangedSince(string tenant, string customer, long version) =>
        version == long.MaxValue
            ? []
            : _entries.Find(Query.Between("tcv", Tcv(tenant, customer, version + 1), Tcv(tenant, customer, long.MaxValue)))
                .Select(d => new OutcomeStateEntry(d["entry"].AsString, d["json"].AsString))
                .ToList();

    public IReadOnlyList<string?> FindForUpdate(string tenant, IReadOnlyList<(string Customer, string Entry)> entries) =>
        [.. entries.Select(e => _entries.FindById(Id(tenant, e.Customer, e.Entry)) is { } doc ? doc["json"].AsString : null)];

    // An event document's _id is its identity (the append's dedup key), so each is one primary-key seek.
    public IReadOnlyList<StoredEvent> FindEvents(string tenant, string customer, IReadOnlyList<EventIdentity> events) =>
        [.. events.Select(e => _events.FindById(StoreKey.Compose(tenant, e.Source, e.Id))).OfType<BsonDocument>().Select(BsonDocuments.Event)];

    public bool HasEventsBeyond(string tenant, int count) =>
        _events.Find(Query.EQ("tenant", tenant), skip: count, limit: 1).Any();

    public void Put(string tenant, IReadOnlyList<OutcomeStateWrite> added, IReadOnlyList<OutcomeStateWrite> replaced) =>
        _store.WriteModule(() =>
        {
            // Insert skips the _id lookup an upsert makes first: most entries of an append are new key groups.
            if (added.Count > 0) _entries.InsertBulk(added.Select(e => Document(tenant, e)));
            if (replaced.Count > 0) _entries.Upsert(replaced.Select(e => Document(tenant, e)));
            return 0;
        });

    private static BsonDocument Document(string tenant, OutcomeStateWrite e) => new()
    {
        ["_id"] = Id(tenant, e.Customer, e.Entry),
        ["tcv"] = Tcv(tenant, e.Customer, e.Version),
        ["entry"] = e.Entry,
        ["json"] = e.Json,
    };

    public long Touch(string tenant, IReadOnlyCollection<string> customers) => _store.WriteModule(() =>
    {
        var row = Tenant(tenant) ?? new OutcomeStateTenant("", 0);
        var version = row.Version + 1;
        _tenants.Upsert(new BsonDocument { ["_id"] = tenant, ["hash"] = row.RuleSetHash, ["version"] = version });
        _changes.Upsert(customers.Select(customer => new BsonDocument
        {
            ["_id"] = TenantCustomer(tenant, customer),
            ["tenant"] = tenant,
            ["customer"] = customer,
            ["version"] = version,
        }));
        return version;
    });

    public IReadOnlyList<OutcomeStateChange> ChangedSince(string tenant, long version) =>
        _changes.Find(Query.EQ("tenant", tenant))
            .Select(d => new OutcomeStateChange(d["customer"].AsString, d["version"].AsInt64))
            .Where(c => c.Version > version)
            .OrderBy(c => c.Version)
            .ToList();

    public long? CustomerVersion(string tenant, string customer) =>
        _changes.FindById(TenantCustomer(tenant, customer)) is { } doc ? doc["version"].AsInt64 : null;

    public IReadOnlyList<string> Tenants() =>
        _tenants.FindAll().Select(d => d["_id"].AsString).Order(StringComparer.Ordinal).ToList();

    private static string TenantCustomer(string tenant, string customer) => tenant + Separator + customer;

    // Fixed width, so ordinal order is version order within a customer; the separator keeps customer "c1" apart from "c10".
    private static string Tcv(string tenant, string customer, long version) =>
        TenantCustomer(tenant, customer) + Separator + version.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    private static string Id(string tenant, string customer, string entry) => tenant + Separator + customer + Separator + entry;
}
