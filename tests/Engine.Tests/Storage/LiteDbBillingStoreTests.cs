using LiteDB;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Outcomes;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>What only the LiteDB backend has: its indexes, its file format and its single-process lock.</summary>
public sealed class LiteDbBillingStoreTests : StoreContract<LiteDbBackend>
{
    private string DatabaseFile => Backend.DatabaseFile;

    [Fact]
    public void A_customers_events_are_read_through_the_tenant_customer_index_not_a_scan()
    {
        var store = (LiteDbBillingStore)Store;
        store.AppendEvents([Event("a", subject: "c1"), Event("b", subject: "c2")]);

        var plan = store.EventQueryPlan("t1", "c1");

        // LiteDB's EXPLAIN: an index seek on "tc", never a full scan of the collection.
        Assert.Equal("tc", plan["index"]["name"].AsString);
        Assert.StartsWith("INDEX SEEK", plan["index"]["mode"].AsString);
        Assert.Equal(["a"], store.ReadEvents("t1", "c1").Select(e => e.Id));
    }

    [Fact]
    public void A_customers_invoices_and_outcome_state_are_read_through_their_indexes_with_one_compiled_query()
    {
        var store = (LiteDbBillingStore)Store;
        var state = (LiteDbOutcomeStateStore)OutcomeStateStores.For(store)!;

        var invoices = store.InvoiceQueryPlan("t1", "c1");
        var entries = state.CustomerQueryPlan("t1", "c1");

        Assert.Equal("tc", invoices["index"]["name"].AsString);
        Assert.StartsWith("INDEX SEEK", invoices["index"]["mode"].AsString);
        Assert.Equal("tcv", entries["index"]["name"].AsString);
        Assert.StartsWith("INDEX SEEK", entries["index"]["mode"].AsString);
        // The customer is a parameter, not part of the expression text LiteDB caches compiled expressions by
        // (Query.EQ writes the value into the text: one LINQ compilation per customer).
        Assert.Equal(LiteDbQuery.Equal("tc", "t1\u001fc1").Source, LiteDbQuery.Equal("tc", "t1\u001fc2").Source);
        Assert.Equal(LiteDbQuery.StartsWith("tcv", "t1\u001fc1").Source, LiteDbQuery.StartsWith("tcv", "t1\u001fc2").Source);
        Assert.NotEqual(Query.EQ("tc", "t1\u001fc1").Source, Query.EQ("tc", "t1\u001fc2").Source);
    }

    [Fact]
    public void A_file_written_before_typed_storage_still_reads_and_binds_from_the_json()
    {
        // What an older version wrote: the same event document without the "fields" value.
        var typed = TypedSamples.Typed(TypedSamples.EveryType, TypedSamples.EveryTypeJson);
        using (var store = new LiteDbBillingStore(DatabaseFile))
        {
            store.AppendEvents([typed]);
        }
        using (var file = LiteDbFile.Open(DatabaseFile))
        {
            var events = file.GetCollection("events");
            var document = events.FindAll().Single();
            Assert.True(document.Remove("fields"));
            events.Update(document);
        }

        var old = Assert.Single(Store.ReadEvents("t1"));

        Assert.Null(old.Fields);
        Assert.Equal(typed with { Fields = null, Sequence = old.Sequence }, old);
        var bound = RulesBilling.Engine.Outcomes.EventBinding.Bind(Ingestion.TestRules.With(TypedSamples.EveryType), [old, typed]);
        Assert.Empty(bound.Failures);
        Assert.Equal(bound.Events[0].Fields, bound.Events[1].Fields);
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
        var file = Backend.Directory.File("foreign.db");
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
