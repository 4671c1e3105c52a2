namespace RulesBilling.Engine.Credits;

/// <summary>Credit grants and the append-only credit ledger of every tenant's customers.</summary>
public interface ICreditStore
{
    /// <summary>Inserts or replaces the grant with the same (Tenant, Id).</summary>
    void SaveGrant(CreditGrant grant);

    /// <summary>Ordered by GrantedAt, then Id.</summary>
    IReadOnlyList<CreditGrant> ListGrants(string tenant, string customer);

    /// <summary>Appends; an entry whose (Tenant, Id) exists throws <see cref="InvalidOperationException"/> (the ledger is append-only).</summary>
    void AppendLedger(CreditLedgerEntry entry);

    /// <summary>In append order.</summary>
    IReadOnlyList<CreditLedgerEntry> ReadLedger(string tenant, string customer);
}
