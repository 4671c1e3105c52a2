using LiteDB;
using RulesBilling.Engine.Credits;

namespace RulesBilling.Engine.Storage;

/// <summary>Credit grants and the append-only ledger.</summary>
public sealed partial class LiteDbBillingStore
{
    public void SaveGrant(CreditGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        Write(() => _grants.Upsert(BsonDocuments.Grant(grant)));
    }

    public IReadOnlyList<CreditGrant> ListGrants(string tenant, string customer) =>
        StoreOrder.Grants(_grants.Find(LiteDbQuery.Equal("tc", StoreKey.Compose(tenant, customer))).Select(BsonDocuments.Grant)
            .Where(g => g.Tenant == tenant && g.Customer == customer));

    public void AppendLedger(CreditLedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Write(() =>
        {
            var key = StoreKey.Compose(entry.Tenant, entry.Id);
            if (_ledger.FindById(key) is not null)
            {
                throw new InvalidOperationException($"ledger entry '{entry.Id}' already exists for tenant '{entry.Tenant}'; ledger entries are append-only");
            }
            _ledger.Insert(BsonDocuments.Ledger(entry, Advance(LedgerSequence, 1) + 1));
        });
    }

    public IReadOnlyList<CreditLedgerEntry> ReadLedger(string tenant, string customer) =>
        _ledger.Find(LiteDbQuery.Equal("tc", StoreKey.Compose(tenant, customer)))
            .Where(d => d["tenant"].AsString == tenant && d["customer"].AsString == customer)
            .OrderBy(d => d["seq"].AsInt64)
            .Select(BsonDocuments.Ledger)
            .ToList();
}
