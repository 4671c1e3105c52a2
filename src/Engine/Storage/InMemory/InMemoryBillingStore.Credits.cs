using RulesBilling.Engine.Credits;

namespace RulesBilling.Engine.Storage;

/// <summary>Credit grants and the append-only ledger.</summary>
public sealed partial class InMemoryBillingStore
{
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
}
