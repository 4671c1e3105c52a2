using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Postgres;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>The shared store contract, run against PostgreSQL in a fresh schema per test.</summary>
public sealed class PostgresBillingStoreTests : BillingStoreContract
{
    private readonly PostgresTestDatabase _database = new();

    protected override IBillingStore OpenStore() => PostgresBillingStore.Open(_database.ConnectionString);

    protected override IBillingStore ReopenStore(IBillingStore store)
    {
        store.Dispose();
        return PostgresBillingStore.Open(_database.ConnectionString);
    }

    public override void Dispose()
    {
        base.Dispose();
        _database.Dispose();
    }
}
