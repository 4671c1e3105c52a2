using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>
/// Creates the monthly partitions of the events table on demand, inside the transaction that inserts into them.
/// A partition is created as a plain table and then ATTACHed, because ATTACH PARTITION takes only a SHARE UPDATE
/// EXCLUSIVE lock on events (concurrent inserts and reads on other nodes go on), whereas CREATE TABLE ... PARTITION
/// OF would take ACCESS EXCLUSIVE and stall every node. That lock also serialises two nodes creating the same month:
/// the second waits, then finds the partition and does nothing. Months known to exist are cached per store instance
/// once the creating transaction has committed, so the steady state costs no catalog query.
/// </summary>
internal sealed class EventPartitions
{
    private readonly ConcurrentDictionary<int, byte> _known = new();

    /// <summary>The month (year × 12 + month − 1) an event time falls in, in UTC.</summary>
    public static int MonthOf(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return utc.Year * 12 + utc.Month - 1;
    }

    /// <summary>Ensures a partition exists for every month; returns the months that must be marked known after commit.</summary>
    public IReadOnlyList<int> Ensure(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<int> months)
    {
        var unknown = months.Where(m => !_known.ContainsKey(m)).Distinct().Order().ToList();
        foreach (var month in unknown)
        {
            var name = Name(month);
            if (Exists(connection, transaction, name)) continue;
            Execute(connection, transaction, "LOCK TABLE events IN SHARE UPDATE EXCLUSIVE MODE");
            // Another node may have attached it while this one waited for the lock.
            if (Exists(connection, transaction, name)) continue;
            Execute(connection, transaction, $"CREATE TABLE {name} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            Execute(connection, transaction,
                $"ALTER TABLE events ATTACH PARTITION {name} FOR VALUES FROM ('{Start(month)}') TO ('{Start(month + 1)}')");
        }
        return unknown;
    }

    public void MarkKnown(IEnumerable<int> months)
    {
        foreach (var month in months) _known.TryAdd(month, 0);
    }

    private static string Name(int month) =>
        string.Create(CultureInfo.InvariantCulture, $"events_p{month / 12:0000}_{month % 12 + 1:00}");

    private static string Start(int month) =>
        string.Create(CultureInfo.InvariantCulture, $"{month / 12:0000}-{month % 12 + 1:00}-01 00:00:00+00");

    private static bool Exists(NpgsqlConnection connection, NpgsqlTransaction transaction, string name)
    {
        using var command = new NpgsqlCommand(
            """
            SELECT EXISTS (
                SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'events'::regclass AND c.relname = @name)
            """, connection, transaction);
        command.Parameters.AddWithValue("name", name);
        return (bool)command.ExecuteScalar()!;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
