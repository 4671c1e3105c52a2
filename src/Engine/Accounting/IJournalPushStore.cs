namespace RulesBilling.Engine.Accounting;

/// <summary>Persistence of the accounting push: the tenant's QuickBooks company and one checkpoint per pushed journal entry.</summary>
public interface IJournalPushStore
{
    void SaveAccount(QuickBooksAccount account);
    QuickBooksAccount? FindAccount(string tenant);

    void Save(JournalPushRecord record);
    JournalPushRecord? Find(string tenant, string entryId);
    /// <summary>The tenant's records ordered by entry id (ordinal).</summary>
    IReadOnlyList<JournalPushRecord> List(string tenant);
}
