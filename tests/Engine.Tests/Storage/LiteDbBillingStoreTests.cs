using LiteDB;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

public sealed class LiteDbBillingStoreTests : BillingStoreContract
{
    private readonly TempDirectory _directory = new();

    private string DatabaseFile => _directory.File("billing.db");

    protected override IBillingStore OpenStore() => new LiteDbBillingStore(DatabaseFile);

    protected override IBillingStore ReopenStore(IBillingStore store)
    {
        store.Dispose();
        return new LiteDbBillingStore(DatabaseFile);
    }

    public override void Dispose()
    {
        base.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Opening_the_same_file_twice_in_one_process_is_refused_until_the_first_is_disposed()
    {
        var first = Store;

        var error = Assert.Throws<InvalidOperationException>(() => new LiteDbBillingStore(DatabaseFile));

        Assert.Contains("already open in this process", error.Message);
        first.Dispose();
        using var second = new LiteDbBillingStore(DatabaseFile);
        Assert.Empty(second.ReadEvents("t1"));
    }

    [Fact]
    public void A_file_created_with_a_case_insensitive_collation_is_refused()
    {
        var file = _directory.File("foreign.db");
        using (var foreign = new LiteDatabase(new ConnectionString { Filename = file, Connection = ConnectionType.Direct }))
        {
            foreign.GetCollection("events").Insert(new BsonDocument { ["_id"] = "x" });
        }

        var error = Assert.Throws<InvalidOperationException>(() => new LiteDbBillingStore(file));

        Assert.Contains("collation", error.Message);
        // The failed open released the file: a second attempt fails for the same reason, not as "already open".
        var again = Assert.Throws<InvalidOperationException>(() => new LiteDbBillingStore(file));
        Assert.Contains("collation", again.Message);
    }

    [Fact]
    public void Writes_after_dispose_throw_ObjectDisposedException()
    {
        Store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Store.AppendEvents([Event("a")]));
    }

    [Fact]
    public void Committed_writes_reach_the_file_and_are_read_by_a_fresh_engine()
    {
        Store.AppendEvents([Event("a"), Event("b")]);
        Store.Dispose();

        using var raw = new LiteDatabase(new ConnectionString { Filename = DatabaseFile, Connection = ConnectionType.Direct });
        Assert.Equal(2, raw.GetCollection("events").Count());
    }
}
