using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Postgres;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>How a store contract opens and reopens one backend's store.</summary>
public interface IStoreBackend : IDisposable
{
    /// <summary>A new, empty store for this test.</summary>
    IBillingStore Open();

    /// <summary>The same store after a restart; the old instance must not be used afterwards.</summary>
    IBillingStore Reopen(IBillingStore store);
}

public sealed class InMemoryBackend : IStoreBackend
{
    public IBillingStore Open() => new InMemoryBillingStore();

    // Memory lives as long as the instance: a "restart" of the in-memory store keeps the same instance.
    public IBillingStore Reopen(IBillingStore store) => store;

    public void Dispose()
    {
    }
}

public sealed class LiteDbBackend : IStoreBackend
{
    public TempDirectory Directory { get; } = new();

    public string DatabaseFile => Directory.File("billing.db");

    public IBillingStore Open() => new LiteDbBillingStore(DatabaseFile);

    public IBillingStore Reopen(IBillingStore store)
    {
        store.Dispose();
        return new LiteDbBillingStore(DatabaseFile);
    }

    public void Dispose() => Directory.Dispose();
}

/// <summary>PostgreSQL in a fresh schema per test (<see cref="PostgresTestDatabase"/>: RULESBILLING_TEST_PG or a private server).</summary>
public sealed class PostgresBackend : IStoreBackend
{
    private readonly PostgresTestDatabase _database = new();

    public IBillingStore Open() => PostgresBillingStore.Open(_database.ConnectionString);

    public IBillingStore Reopen(IBillingStore store)
    {
        store.Dispose();
        return PostgresBillingStore.Open(_database.ConnectionString);
    }

    public void Dispose() => _database.Dispose();
}
