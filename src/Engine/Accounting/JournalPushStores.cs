using System.Collections.Concurrent;
using LiteDB;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace RulesBilling.Engine.Accounting;

/// <summary><see cref="IJournalPushStore"/> in the server's LiteDB file, next to the payments module (records as JSON, written under the file's writer lock).</summary>
public sealed class LiteDbJournalPushStore : IJournalPushStore
{
    private readonly LiteDbBillingStore _billing;
    private readonly ILiteCollection<BsonDocument> _accounts;
    private readonly ILiteCollection<BsonDocument> _records;

    public LiteDbJournalPushStore(LiteDbBillingStore billing)
    {
        ArgumentNullException.ThrowIfNull(billing);
        _billing = billing;
        _accounts = billing.ModuleCollection("acct_quickbooks");
        _records = billing.ModuleCollection("acct_push");
        billing.WriteModule(() => _records.EnsureIndex("tenant"));
    }

    public void SaveAccount(QuickBooksAccount account) => Upsert(_accounts, account.Tenant, account, account.Tenant);

    public QuickBooksAccount? FindAccount(string tenant) => _accounts.FindById(tenant) is { } d ? Read<QuickBooksAccount>(d) : null;

    public void Save(JournalPushRecord record) => Upsert(_records, StoreKey.Compose(record.Tenant, record.EntryId), record, record.Tenant);

    public JournalPushRecord? Find(string tenant, string entryId) =>
        _records.FindById(StoreKey.Compose(tenant, entryId)) is { } d ? Read<JournalPushRecord>(d) : null;

    public IReadOnlyList<JournalPushRecord> List(string tenant) =>
        _records.Find(Query.EQ("tenant", tenant)).Select(Read<JournalPushRecord>).OrderBy(r => r.EntryId, StringComparer.Ordinal).ToList();

    private void Upsert<T>(ILiteCollection<BsonDocument> collection, string id, T value, string tenant) =>
        _billing.WriteModule(() => collection.Upsert(new BsonDocument
        {
            ["_id"] = id, ["tenant"] = tenant, ["json"] = JsonSerializer.Serialize(value, PaymentJson.Options),
        }));

    private static T Read<T>(BsonDocument document) =>
        JsonSerializer.Deserialize<T>(document["json"].AsString, PaymentJson.Options)
        ?? throw new InvalidOperationException($"stored accounting record '{document["_id"].AsString}' is empty");
}

/// <summary><see cref="IJournalPushStore"/> in memory, for tests and dry runs.</summary>
public sealed class InMemoryJournalPushStore : IJournalPushStore
{
    private readonly ConcurrentDictionary<string, QuickBooksAccount> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string), JournalPushRecord> _records = new();

    public void SaveAccount(QuickBooksAccount account) => _accounts[account.Tenant] = account;

    public QuickBooksAccount? FindAccount(string tenant) => _accounts.GetValueOrDefault(tenant);

    public void Save(JournalPushRecord record) => _records[(record.Tenant, record.EntryId)] = record;

    public JournalPushRecord? Find(string tenant, string entryId) => _records.GetValueOrDefault((tenant, entryId));

    public IReadOnlyList<JournalPushRecord> List(string tenant) =>
        _records.Values.Where(r => r.Tenant == tenant).OrderBy(r => r.EntryId, StringComparer.Ordinal).ToList();
}
