using Npgsql;
using NpgsqlTypes;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>Events: append with dedup through event_ids (keys inserted in byte order), ordered reads, customers.</summary>
public sealed partial class PostgresBillingStore
{
    public IReadOnlyList<AppendStatus> AppendEvents(IReadOnlyList<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return [];

        // A repeat inside the batch is a duplicate of its first copy, decided here before the database is asked.
        var inBatch = new HashSet<string>(StringComparer.Ordinal);
        var candidates = new List<(int Index, byte[] Key)>();
        for (var i = 0; i < events.Count; i++)
        {
            var key = EventKey.Of(events[i]);
            if (inBatch.Add(Convert.ToHexString(key))) candidates.Add((i, key));
        }

        return Write(scope =>
        {
            // Keys are inserted in byte order so overlapping batches on several connections lock them in the same
            // order and cannot deadlock. Each new key draws a sequence number in the same statement.
            var fresh = new HashSet<string>(StringComparer.Ordinal);
            var sequences = new List<long>();
            using (var claim = scope.Command("""
                WITH fresh AS (
                    INSERT INTO event_ids (event_key)
                    SELECT k FROM unnest(@keys) AS k ORDER BY k
                    ON CONFLICT DO NOTHING
                    RETURNING event_key)
                SELECT event_key, nextval('event_sequence') FROM fresh
                """))
            {
                claim.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = candidates.Select(c => c.Key).ToArray() });
                using var reader = claim.ExecuteReader();
                while (reader.Read())
                {
                    fresh.Add(Convert.ToHexString(reader.GetFieldValue<byte[]>(0)));
                    sequences.Add(reader.GetInt64(1));
                }
            }

            // The drawn numbers are handed out in ascending order along the input order: strictly increasing.
            sequences.Sort();
            var statuses = Enumerable.Repeat(AppendStatus.Duplicate, events.Count).ToArray();
            var accepted = new List<StoredEvent>(fresh.Count);
            foreach (var (index, key) in candidates)
            {
                if (!fresh.Contains(Convert.ToHexString(key))) continue;
                statuses[index] = AppendStatus.Accepted;
                accepted.Add(events[index] with { Sequence = sequences[accepted.Count] });
            }
            if (accepted.Count > 0)
            {
                // Partitions only for what is stored: a retried duplicate with a stray time creates nothing.
                var months = _partitions.Ensure(scope.Connection, scope.Transaction!, accepted.Select(e => EventPartitions.MonthOf(e.Time)));
                scope.AfterCommit(_partitions.MarkKnown, months);
                InsertEvents(scope, accepted);
            }
            return statuses;
        }, retryTransient: true);
    }

    public IEnumerable<StoredEvent> ReadEvents(string tenant, string? customer = null, DateTimeOffset? storedBefore = null)
    {
        var sql = "SELECT tenant, source, id, type, subject, time_ticks, stored_at_ticks, sequence, data, fields, extensions FROM events WHERE tenant = @tenant"
            + (customer is null ? "" : " AND subject = @customer")
            + (storedBefore is null ? "" : " AND stored_at_ticks < @before");
        return StoreOrder.Events(Read(scope =>
        {
            using var command = scope.Command(sql, ("tenant", tenant), ("customer", customer), ("before", storedBefore?.UtcTicks));
            return ReadAll(command, Event);
        }));
    }

    /// <summary>An event row in the column order of <see cref="ReadEvents"/>.</summary>
    internal static StoredEvent Event(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        Instant(r.GetInt64(5)), Instant(r.GetInt64(6)), r.GetInt64(7), r.GetString(8))
    {
        // Rows written before migration 0007 have no typed form and bind from their JSON.
        Fields = r.IsDBNull(9) ? null : TypedFields.Own(r.GetFieldValue<byte[]>(9)),
        Extensions = EventExtensions.FromJson(r.IsDBNull(10) ? null : r.GetString(10)),
    };

    public IReadOnlyList<string> Customers(string tenant) => Read(scope =>
    {
        using var command = scope.Command("SELECT DISTINCT subject FROM events WHERE tenant = @tenant", ("tenant", tenant));
        return ReadAll(command, r => r.GetString(0)).Order(StringComparer.Ordinal).ToList();
    });

    private void InsertEvents(Scope scope, List<StoredEvent> accepted)
    {
        using var command = scope.Command("""
            INSERT INTO events (tenant, source, id, type, subject, event_time, time_ticks, stored_at_ticks, sequence, data, fields, extensions)
            SELECT * FROM unnest(@tenant, @source, @id, @type, @subject, @event_time, @time_ticks, @stored_at_ticks, @sequence, @data, @fields, @extensions)
            """);
        AddArray(command, "tenant", accepted.Select(e => e.Tenant));
        AddArray(command, "source", accepted.Select(e => e.Source));
        AddArray(command, "id", accepted.Select(e => e.Id));
        AddArray(command, "type", accepted.Select(e => e.Type));
        AddArray(command, "subject", accepted.Select(e => e.Subject));
        // The partition key keeps microseconds (timestamptz); the exact instant is in time_ticks.
        command.Parameters.Add(new NpgsqlParameter("event_time", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = accepted.Select(e => new DateTimeOffset(e.Time.UtcTicks - e.Time.UtcTicks % 10, TimeSpan.Zero)).ToArray(),
        });
        AddArray(command, "time_ticks", accepted.Select(e => e.Time.UtcTicks));
        AddArray(command, "stored_at_ticks", accepted.Select(e => e.StoredAt.UtcTicks));
        AddArray(command, "sequence", accepted.Select(e => e.Sequence));
        AddArray(command, "data", accepted.Select(e => e.DataJson));
        command.Parameters.Add(new NpgsqlParameter("fields", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
        {
            Value = accepted.Select(e => e.Fields?.ToArray()).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("extensions", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = accepted.Select(e => EventExtensions.ToJson(e.Extensions)).ToArray(),
        });
        command.ExecuteNonQuery();
    }

    private static void AddArray(NpgsqlCommand command, string name, IEnumerable<string> values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() });

    private static void AddArray(NpgsqlCommand command, string name, IEnumerable<long> values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = values.ToArray() });
}
