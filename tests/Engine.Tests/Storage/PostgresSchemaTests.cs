using Npgsql;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Postgres;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>What only the PostgreSQL store has: migrations, partitions, several nodes on one database.</summary>
public sealed class PostgresSchemaTests : IDisposable
{
    private readonly PostgresTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Migrations_are_recorded_once_and_reopening_applies_nothing()
    {
        using (PostgresBillingStore.Open(_database.ConnectionString))
        {
        }
        using var dataSource = NpgsqlDataSource.Create(_database.ConnectionString);

        var again = PostgresMigrations.Apply(dataSource, _database.Schema);

        Assert.Empty(again.Applied);
        Assert.Equal(PostgresMigrations.All[^1].Version, again.Version);
        Assert.Equal(PostgresMigrations.All.Select(m => m.Version), Query<int>("SELECT version FROM schema_migrations ORDER BY version"));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], PostgresMigrations.All.Select(m => m.Version));
    }

    [Fact]
    public void Nodes_starting_together_apply_each_migration_exactly_once()
    {
        const int Nodes = 4;
        var stores = new PostgresBillingStore?[Nodes];
        using var start = new Barrier(Nodes);
        var threads = Enumerable.Range(0, Nodes).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            stores[i] = PostgresBillingStore.Open(_database.ConnectionString);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        try
        {
            Assert.All(stores, Assert.NotNull);
            Assert.Equal(PostgresMigrations.All.Select(m => m.Version), Query<int>("SELECT version FROM schema_migrations ORDER BY version"));
        }
        finally
        {
            foreach (var store in stores) store?.Dispose();
        }
    }

    [Fact]
    public void A_database_newer_than_the_binary_or_with_an_edited_migration_is_refused()
    {
        using (PostgresBillingStore.Open(_database.ConnectionString))
        {
        }

        Execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
        var edited = Assert.Throws<InvalidOperationException>(() => PostgresBillingStore.Open(_database.ConnectionString));
        Execute($"UPDATE schema_migrations SET checksum = '{PostgresMigrations.All[0].Checksum}' WHERE version = 1");
        Execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'future', 'x')");
        var newer = Assert.Throws<InvalidOperationException>(() => PostgresBillingStore.Open(_database.ConnectionString));

        Assert.Contains("migration 1 (initial) applied to this database differs", edited.Message);
        Assert.Contains("version 999, newer than this RulesBilling", newer.Message);
    }

    [Fact]
    public void An_unreachable_server_is_a_clear_error_naming_the_target_without_the_password()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            PostgresBillingStore.Open("Host=127.0.0.1;Port=1;Database=billing;Username=u;Password=secret-pw;Timeout=2"));

        Assert.StartsWith("cannot open the PostgreSQL store 127.0.0.1:1/billing:", error.Message);
        Assert.DoesNotContain("secret-pw", error.Message);
    }

    [Fact]
    public void Events_go_to_monthly_partitions_and_dedup_spans_them()
    {
        using var store = PostgresBillingStore.Open(_database.ConnectionString);
        var march = Event("a");
        var april = Event("b") with { Time = new DateTimeOffset(2026, 4, 30, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999) };
        var may = Event("c") with { Time = new DateTimeOffset(2026, 4, 30, 22, 0, 0, TimeSpan.FromHours(-3)) };

        store.AppendEvents([march, april, may]);
        // The same identity with another time would land in another partition: still a duplicate.
        var retried = store.AppendEvents([march with { Time = march.Time.AddMonths(5) }]);

        Assert.Equal([AppendStatus.Duplicate], retried);
        Assert.Equal(["events_p2026_03", "events_p2026_04", "events_p2026_05"], Query<string>(
            "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass ORDER BY 1"));
        Assert.Equal(["a"], Query<string>("SELECT id FROM events_p2026_03"));
        Assert.Equal(["b"], Query<string>("SELECT id FROM events_p2026_04"));
        Assert.Equal(["c"], Query<string>("SELECT id FROM events_p2026_05"));
        Assert.Equal(april.Time.UtcTicks, store.ReadEvents("t1").Single(e => e.Id == "b").Time.UtcTicks);
    }

    [Fact]
    public void A_batch_whose_write_fails_marks_none_of_its_events_as_seen()
    {
        using var store = PostgresBillingStore.Open(_database.ConnectionString);

        // PostgreSQL text cannot hold U+0000, so the insert of the event rows fails after the identities were claimed.
        Assert.ThrowsAny<PostgresException>(() => store.AppendEvents([Event("a"), Event("b", data: "{\"x\":\"\u0000\"}")]));

        Assert.Empty(store.ReadEvents("t1"));
        Assert.Equal([AppendStatus.Accepted, AppendStatus.Accepted], store.AppendEvents([Event("a"), Event("b")]));
        Assert.Equal(0L, Query<long>("SELECT count(*) FROM event_ids").Single() - 2);
    }

    [Fact]
    public void Two_nodes_appending_overlapping_batches_store_each_event_once_with_distinct_sequences()
    {
        const int Distinct = 400;
        var pool = Enumerable.Range(0, Distinct).Select(i => Event($"e{i:000}", minute: i % 90 * 1440)).ToArray();
        using var nodeA = PostgresBillingStore.Open(_database.ConnectionString);
        using var nodeB = PostgresBillingStore.Open(_database.ConnectionString);
        var nodes = new[] { nodeA, nodeB, nodeA, nodeB };
        var accepted = new int[nodes.Length];
        using var start = new Barrier(nodes.Length);

        var threads = Enumerable.Range(0, nodes.Length).Select(w => new Thread(() =>
        {
            var random = new Random(w);
            var order = pool.OrderBy(_ => random.Next()).ToArray();
            start.SignalAndWait();
            for (var i = 0; i < order.Length;)
            {
                var size = random.Next(1, 60);
                accepted[w] += nodes[w].AppendEvents(order.Skip(i).Take(size).ToList()).Count(s => s == AppendStatus.Accepted);
                i += size;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var stored = nodeB.ReadEvents("t1").ToList();
        Assert.Equal(Distinct, accepted.Sum());
        Assert.Equal(Distinct, stored.Count);
        Assert.Equal(Distinct, stored.Select(e => e.Sequence).Distinct().Count());
        Assert.Equal(3, Query<long>("SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass").Single());
    }

    [Fact]
    public void Invoice_numbers_taken_by_two_nodes_at_once_are_distinct_and_gap_free()
    {
        using var nodeA = PostgresBillingStore.Open(_database.ConnectionString);
        using var nodeB = PostgresBillingStore.Open(_database.ConnectionString);
        var taken = new List<long>[] { [], [] };
        var threads = new[] { nodeA, nodeB }.Select((node, n) => new Thread(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                // Half of them roll back: their numbers must be handed out again.
                try
                {
                    node.InTransaction(s =>
                    {
                        var number = s.NextInvoiceNumber("t1");
                        if (i % 2 == 1) throw new InvalidOperationException("rolled back");
                        lock (taken) taken[n].Add(number);
                        return number;
                    });
                }
                catch (InvalidOperationException)
                {
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), taken.SelectMany(t => t).Order());
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_database.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private List<T> Query<T>(string sql)
    {
        using var connection = new NpgsqlConnection(_database.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(reader.GetFieldValue<T>(0));
        return rows;
    }
}
