using System.Globalization;
using LiteDB;
using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// <see cref="ITenantStore"/> on LiteDB, living in the billing store's file (LiteDB opens a file exclusively) and
/// writing through the billing store's single-writer transaction (<see cref="LiteDbBillingStore.OpenTenantStore"/>),
/// so a check-then-insert ("id taken?", "highest version + 1") cannot interleave with another write.
/// Documents are mapped by hand so the file format does not depend on reflection over the records.
/// </summary>
public sealed class LiteDbTenantStore : ITenantStore
{
    private readonly LiteDatabase _db;
    private readonly Action<Action> _write;

    internal LiteDbTenantStore(LiteDatabase database, Action<Action> write)
    {
        _db = database;
        _write = write;
        _write(() =>
        {
            Customers.EnsureIndex("tenant");
            Assignments.EnsureIndex("tc");
            RuleSets.EnsureIndex("tenant");
            Audit.EnsureIndex("tenant");
        });
    }

    private T Write<T>(Func<T> work)
    {
        T result = default!;
        _write(() => result = work());
        return result;
    }

    private ILiteCollection<BsonDocument> Tenants => _db.GetCollection("host_tenants");
    private ILiteCollection<BsonDocument> Keys => _db.GetCollection("host_api_keys");
    private ILiteCollection<BsonDocument> Customers => _db.GetCollection("host_customers");
    private ILiteCollection<BsonDocument> Assignments => _db.GetCollection("host_contract_assignments");
    private ILiteCollection<BsonDocument> RuleSets => _db.GetCollection("host_rulesets");
    private ILiteCollection<BsonDocument> Audit => _db.GetCollection("host_audit");

    public bool AddTenant(TenantRecord tenant)
    {
        return Write(() =>
        {
            if (Tenants.FindById(tenant.Id) is not null) return false;
            Tenants.Insert(new BsonDocument
            {
                ["_id"] = tenant.Id,
                ["name"] = tenant.Name,
                ["createdAt"] = Ticks(tenant.CreatedAt),
            });
            return true;
        });
    }

    public TenantRecord? FindTenant(string id) => Tenants.FindById(id) is { } d ? ToTenant(d) : null;

    public void AddApiKey(ApiKeyRecord key) =>
        _write(() => Keys.Insert(new BsonDocument
        {
            ["_id"] = key.KeyHash,
            ["tenant"] = key.Tenant,
            ["prefix"] = key.Prefix,
            ["createdAt"] = Ticks(key.CreatedAt),
        }));

    public ApiKeyRecord? FindApiKey(string keyHash) => Keys.FindById(keyHash) is { } d ? ToApiKey(d) : null;

    public bool AddCustomer(CustomerRecord customer)
    {
        return Write(() =>
        {
            if (Customers.FindById(CustomerId(customer.Tenant, customer.Id)) is not null) return false;
            Customers.Insert(ToDocument(customer));
            return true;
        });
    }

    public void UpdateCustomer(CustomerRecord customer) => _write(() => Customers.Upsert(ToDocument(customer)));

    public CustomerRecord? FindCustomer(string tenant, string id) =>
        Customers.FindById(CustomerId(tenant, id)) is { } d ? ToCustomer(d) : null;

    public IReadOnlyList<CustomerRecord> ListCustomers(string tenant) =>
        Customers.Find(Query.EQ("tenant", tenant)).Select(ToCustomer).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();

    public void SetContractAssignment(string tenant, ContractAssignment assignment)
    {
        var from = assignment.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _write(() => Assignments.Upsert(new BsonDocument
        {
            ["_id"] = $"{CustomerId(tenant, assignment.Customer)}\n{from}",
            ["tc"] = CustomerId(tenant, assignment.Customer),
            ["customer"] = assignment.Customer,
            ["contract"] = assignment.Contract,
            ["version"] = assignment.Version is { } v ? v : BsonValue.Null,
            ["effectiveFrom"] = from,
        }));
    }

    public IReadOnlyList<ContractAssignment> ListContractAssignments(string tenant, string customer) =>
        Assignments.Find(Query.EQ("tc", CustomerId(tenant, customer)))
            .Select(ToAssignment)
            .OrderBy(a => a.EffectiveFrom)
            .ToList();

    public StoredRuleSet AddRuleSet(string tenant, string hash, IReadOnlyList<StoredRuleFile> files, DateTimeOffset uploadedAt, string? comment)
    {
        return Write(() =>
        {
            var version = ListRuleSets(tenant).Select(r => r.Version).DefaultIfEmpty(0).Max() + 1;
            var stored = new StoredRuleSet(tenant, version, hash, files, uploadedAt, comment);
            RuleSets.Insert(new BsonDocument
            {
                ["_id"] = $"{tenant}\n{version}",
                ["tenant"] = tenant,
                ["version"] = version,
                ["hash"] = hash,
                ["files"] = new BsonArray(files.Select(f => new BsonDocument { ["path"] = f.Path, ["text"] = f.Text })),
                ["uploadedAt"] = Ticks(uploadedAt),
                ["comment"] = comment is null ? BsonValue.Null : comment,
            });
            return stored;
        });
    }

    public IReadOnlyList<StoredRuleSet> ListRuleSets(string tenant) =>
        RuleSets.Find(Query.EQ("tenant", tenant)).Select(ToRuleSet).OrderBy(r => r.Version).ToList();

    public StoredRuleSet? FindRuleSet(string tenant, int version) =>
        RuleSets.FindById($"{tenant}\n{version}") is { } d ? ToRuleSet(d) : null;

    public AuditEntry AppendAudit(AuditEntry entry)
    {
        return Write(() =>
        {
            var sequence = Audit.Count() + 1L;
            var stored = entry with { Sequence = sequence };
            Audit.Insert(new BsonDocument
            {
                ["_id"] = sequence,
                ["tenant"] = stored.Tenant,
                ["at"] = Ticks(stored.At),
                ["actor"] = stored.Actor,
                ["action"] = stored.Action,
                ["correlationId"] = stored.CorrelationId is null ? BsonValue.Null : stored.CorrelationId,
                ["succeeded"] = stored.Succeeded,
                ["detail"] = stored.Detail is null ? BsonValue.Null : stored.Detail,
            });
            return stored;
        });
    }

    public IReadOnlyList<AuditEntry> ReadAudit(string tenant) =>
        Audit.Find(Query.EQ("tenant", tenant))
            .Select(ToAudit)
            .OrderBy(a => a.Sequence)
            .ToList();

    private static string CustomerId(string tenant, string id) => $"{tenant}\n{id}";

    private static BsonDocument ToDocument(CustomerRecord c) => new()
    {
        ["_id"] = CustomerId(c.Tenant, c.Id),
        ["tenant"] = c.Tenant,
        ["id"] = c.Id,
        ["name"] = c.Name is null ? BsonValue.Null : c.Name,
        ["createdAt"] = Ticks(c.CreatedAt),
    };

    // The readers below are shared with HostSnapshot, which reads these collections for a migration.
    internal static TenantRecord ToTenant(BsonDocument d) => new(d["_id"].AsString, d["name"].AsString, Time(d["createdAt"]));

    internal static ApiKeyRecord ToApiKey(BsonDocument d) =>
        new(d["_id"].AsString, d["tenant"].AsString, d["prefix"].AsString, Time(d["createdAt"]));

    internal static CustomerRecord ToCustomer(BsonDocument d) => new(
        d["tenant"].AsString,
        d["id"].AsString,
        NullableString(d["name"]),
        Time(d["createdAt"]));

    internal static ContractAssignment ToAssignment(BsonDocument d) => new(
        d["customer"].AsString,
        d["contract"].AsString,
        d["version"].IsNull ? null : d["version"].AsInt32,
        DateOnly.ParseExact(d["effectiveFrom"].AsString, "yyyy-MM-dd", CultureInfo.InvariantCulture));

    internal static StoredRuleSet ToRuleSet(BsonDocument d) => new(
        d["tenant"].AsString,
        d["version"].AsInt32,
        d["hash"].AsString,
        d["files"].AsArray.Select(f => new StoredRuleFile(f["path"].AsString, f["text"].AsString)).ToList(),
        Time(d["uploadedAt"]),
        NullableString(d["comment"]));

    internal static AuditEntry ToAudit(BsonDocument d) => new(
        d["tenant"].AsString,
        d["_id"].AsInt64,
        Time(d["at"]),
        d["actor"].AsString,
        d["action"].AsString,
        NullableString(d["correlationId"]),
        d["succeeded"].AsBoolean,
        NullableString(d["detail"]));

    // Instants are stored as UTC ticks: LiteDB's DateTime loses the offset and sub-millisecond precision.
    private static long Ticks(DateTimeOffset t) => t.UtcTicks;

    private static DateTimeOffset Time(BsonValue ticks) => BsonDocuments.Instant(ticks);

    private static string? NullableString(BsonValue value) => BsonDocuments.NullableText(value);
}
