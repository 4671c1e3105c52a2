using Npgsql;
using NpgsqlTypes;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>
/// Outcome state in the PostgreSQL schema of the events (migration 0006). Writes run on the calling thread's
/// transaction, i.e. the event append's. Concurrency between nodes: an update holds the tenant's advisory lock in
/// shared mode and each key group's advisory lock exclusively (taken in ordinal order), a rebuild holds the tenant's
/// lock exclusively, and the tenant row's change version is bumped last, so two nodes appending to one key group
/// serialize on it and nothing waits in a cycle.
/// </summary>
internal sealed class PostgresOutcomeStateStore(PostgresBillingStore store) : IOutcomeStateStore
{
    private const string Separator = "\u001f";

    public void LockTenant(string tenant, bool exclusive) => store.Write(scope => scope.Execute(
        exclusive
            ? "SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))"
            : "SELECT pg_advisory_xact_lock_shared(hashtextextended(@k, 0))",
        ("k", "outcome-state-tenant" + Separator + tenant)));

    public OutcomeStateTenant? Tenant(string tenant) => store.Read(scope =>
    {
        using var command = scope.Command("SELECT rule_set_hash, version FROM outcome_state_tenants WHERE tenant = @t", ("t", tenant));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new OutcomeStateTenant(reader.GetString(0), reader.GetInt64(1)) : null;
    });

    public void SetRuleSet(string tenant, string ruleSetHash) => store.Write(scope => scope.Execute(
        """
        INSERT INTO outcome_state_tenants (tenant, rule_set_hash, version) VALUES (@t, @h, 0)
        ON CONFLICT (tenant) DO UPDATE SET rule_set_hash = EXCLUDED.rule_set_hash
        """,
        ("t", tenant), ("h", ruleSetHash)));

    public void ClearTenant(string tenant) => store.Write(scope =>
    {
        scope.Execute("DELETE FROM outcome_state WHERE tenant = @t", ("t", tenant));
        scope.Execute("DELETE FROM outcome_state_changes WHERE tenant = @t", ("t", tenant));
    });

    public IReadOnlyList<OutcomeStateEntry> ReadCustomer(string tenant, string customer) => store.Read(scope =>
    {
        using var command = scope.Command(
            "SELECT entry, state FROM outcome_state WHERE tenant = @t AND customer = @c ORDER BY entry COLLATE \"C\"",
            ("t", tenant), ("c", customer));
        return PostgresBillingStore.ReadAll(command, r => new OutcomeStateEntry(r.GetString(0), r.GetString(1)));
    });

    public IReadOnlyList<OutcomeStateEntry> ReadCustomerChangedSince(string tenant, string customer, long version) => store.Read(scope =>
    {
        using var command = scope.Command(
            "SELECT entry, state FROM outcome_state WHERE tenant = @t AND customer = @c AND version > @v",
            ("t", tenant), ("c", customer), ("v", version));
        return PostgresBillingStore.ReadAll(command, r => new OutcomeStateEntry(r.GetString(0), r.GetString(1)));
    });

    public IReadOnlyList<string?> FindForUpdate(string tenant, IReadOnlyList<(string Customer, string Entry)> entries) => store.Write(scope =>
    {
        var found = new List<string?>(entries.Count);
        foreach (var (customer, entry) in entries)
        {
            scope.Execute("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", ("k", tenant + Separator + customer + Separator + entry));
            using var command = scope.Command(
                "SELECT state FROM outcome_state WHERE tenant = @t AND customer = @c AND entry = @e",
                ("t", tenant), ("c", customer), ("e", entry));
            found.Add(command.ExecuteScalar() as string);
        }
        return found;
    });

    // On the append's connection, so events this transaction appended are found. The partition key (event time to the
    // microsecond) prunes the month partitions; the (tenant, subject) index of each finds the customer's rows.
    public IReadOnlyList<StoredEvent> FindEvents(string tenant, string customer, IReadOnlyList<EventIdentity> events) => events.Count == 0 ? [] : store.Write(scope =>
    {
        using var command = scope.Command(
            """
            SELECT e.tenant, e.source, e.id, e.type, e.subject, e.time_ticks, e.stored_at_ticks, e.sequence, e.data, e.fields, e.extensions
            FROM events e JOIN unnest(@s, @i, @tm) AS x(s, i, tm) ON e.source = x.s AND e.id = x.i AND e.event_time = x.tm
            WHERE e.tenant = @t AND e.subject = @c
            """,
            ("t", tenant), ("c", customer));
        command.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Source).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("i", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("tm", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = events.Select(e => PartitionTime(e.Time)).ToArray() });
        return PostgresBillingStore.ReadAll(command, PostgresBillingStore.Event);
    });

    // event_time holds the event time truncated to PostgreSQL's microsecond precision.
    private static DateTimeOffset PartitionTime(DateTimeOffset time) => new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    public bool HasEventsBeyond(string tenant, int count) => store.Write(scope =>
    {
        using var command = scope.Command("SELECT EXISTS (SELECT 1 FROM events WHERE tenant = @t OFFSET @n)", ("t", tenant), ("n", count));
        return (bool)command.ExecuteScalar()!;
    });

    public void Put(string tenant, IReadOnlyList<OutcomeStateWrite> added, IReadOnlyList<OutcomeStateWrite> replaced) =>
        Upsert(tenant, [.. added, .. replaced]);

    private void Upsert(string tenant, IReadOnlyList<OutcomeStateWrite> entries) => store.Write(scope =>
    {
        if (entries.Count == 0) return;
        using var command = scope.Command(
            """
            INSERT INTO outcome_state (tenant, customer, entry, state, version)
            SELECT @t, c, e, s, v FROM unnest(@c, @e, @s, @v) AS x(c, e, s, v)
            ON CONFLICT (tenant, customer, entry) DO UPDATE SET state = EXCLUDED.state, version = EXCLUDED.version
            """,
            ("t", tenant));
        command.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = entries.Select(x => x.Customer).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = entries.Select(x => x.Entry).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = entries.Select(x => x.Json).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = entries.Select(x => x.Version).ToArray() });
        command.ExecuteNonQuery();
    });

    public long Touch(string tenant, IReadOnlyCollection<string> customers) => store.Write(scope =>
    {
        long version;
        using (var command = scope.Command(
            """
            INSERT INTO outcome_state_tenants AS t (tenant, rule_set_hash, version) VALUES (@t, '', 1)
            ON CONFLICT (tenant) DO UPDATE SET version = t.version + 1
            RETURNING version
            """,
            ("t", tenant)))
        {
            version = (long)command.ExecuteScalar()!;
        }
        using (var command = scope.Command(
            """
            INSERT INTO outcome_state_changes (tenant, customer, version) SELECT @t, c, @v FROM unnest(@c) AS c
            ON CONFLICT (tenant, customer) DO UPDATE SET version = EXCLUDED.version
            """,
            ("t", tenant), ("v", version)))
        {
            command.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = customers.ToArray() });
            command.ExecuteNonQuery();
        }
        return version;
    });

    public IReadOnlyList<OutcomeStateChange> ChangedSince(string tenant, long version) => store.Read(scope =>
    {
        using var command = scope.Command(
            "SELECT customer, version FROM outcome_state_changes WHERE tenant = @t AND version > @v ORDER BY version",
            ("t", tenant), ("v", version));
        return PostgresBillingStore.ReadAll(command, r => new OutcomeStateChange(r.GetString(0), r.GetInt64(1)));
    });

    public long? CustomerVersion(string tenant, string customer) => store.Read(scope =>
    {
        using var command = scope.Command("SELECT version FROM outcome_state_changes WHERE tenant = @t AND customer = @c", ("t", tenant), ("c", customer));
        return command.ExecuteScalar() is long version ? version : (long?)null;
    });

    public IReadOnlyList<string> Tenants() => store.Read(scope =>
    {
        using var command = scope.Command("SELECT tenant FROM outcome_state_tenants ORDER BY tenant COLLATE \"C\"");
        return PostgresBillingStore.ReadAll(command, r => r.GetString(0));
    });
}
