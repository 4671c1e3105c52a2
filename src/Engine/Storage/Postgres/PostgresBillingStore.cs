using Npgsql;
using NpgsqlTypes;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage.Claims;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>
/// <see cref="IBillingStore"/> on PostgreSQL, for several stateless nodes sharing one database.
/// <para>
/// Durability: a write returns after its transaction has committed, so it has PostgreSQL's fsync guarantees.
/// Dedup: an event's identity is claimed in event_ids by the same transaction that stores the event row (see
/// 0001_initial.sql), so a retried batch never double-counts, a failed write never marks an event as seen, and two
/// nodes appending the same event concurrently accept it once (the second waits on the first's uncommitted key).
/// </para>
/// <para>
/// Concurrency: one instance per process, shared by all threads; it borrows pooled connections per call. Work
/// inside <see cref="InTransaction{T}"/> runs on one connection and one database transaction bound to the calling
/// thread, which is why it must stay on that thread (no await inside), like the other backends. Tables live in the
/// first schema of the connection string's Search Path (created if missing), else in the default schema.
/// </para>
/// </summary>
public sealed class PostgresBillingStore : IBillingStore, IWorkClaims, IPeriodCloseLock
{
    private const int MaxAttempts = 5;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ThreadLocal<Scope?> _scope = new();
    private readonly EventPartitions _partitions = new();
    private int _disposed;

    private PostgresBillingStore(NpgsqlDataSource dataSource, string description)
    {
        _dataSource = dataSource;
        Description = description;
    }

    /// <summary>Where the store is, for messages: host, port, database and schema, never the password.</summary>
    public string Description { get; }

    /// <summary>
    /// Connects with an Npgsql connection string (<c>Host=...;Database=...</c>) and applies pending migrations.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string is invalid, the server cannot be reached or refuses the login, or the schema cannot be migrated.</exception>
    public static PostgresBillingStore Open(string connectionString)
    {
        var (builder, schema) = PostgresMigrations.Target(connectionString);
        var description = PostgresMigrations.Describe(builder, schema);
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            PostgresMigrations.Apply(dataSource, schema);
            return new PostgresBillingStore(dataSource, description);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            dataSource.Dispose();
            throw new InvalidOperationException($"cannot open the PostgreSQL store {description}: {e.Message}", e);
        }
    }

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

    public void AddRejected(RejectedEvent rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        Write(scope => scope.Execute(
            """
            INSERT INTO rejected (tenant, rejection_id, source, id, type, raw_json, reason, rejected_at_ticks, attempts)
            VALUES (@tenant, @rejection_id, @source, @id, @type, @raw_json, @reason, @rejected_at, @attempts)
            ON CONFLICT (tenant, rejection_id) DO UPDATE SET
                source = EXCLUDED.source, id = EXCLUDED.id, type = EXCLUDED.type, raw_json = EXCLUDED.raw_json,
                reason = EXCLUDED.reason, rejected_at_ticks = EXCLUDED.rejected_at_ticks, attempts = EXCLUDED.attempts
            """,
            ("tenant", rejected.Tenant), ("rejection_id", rejected.RejectionId), ("source", rejected.Source), ("id", rejected.Id),
            ("type", rejected.Type), ("raw_json", rejected.RawJson), ("reason", rejected.Reason),
            ("rejected_at", rejected.RejectedAt.UtcTicks), ("attempts", rejected.Attempts)));
    }

    public IReadOnlyList<RejectedEvent> ReadRejected(string tenant) => StoreOrder.Rejected(Read(scope =>
    {
        using var command = scope.Command(
            "SELECT tenant, rejection_id, source, id, type, raw_json, reason, rejected_at_ticks, attempts FROM rejected WHERE tenant = @tenant",
            ("tenant", tenant));
        return ReadAll(command, r => new RejectedEvent(
            r.GetString(0), r.GetString(1), NullableText(r, 2), NullableText(r, 3), NullableText(r, 4),
            r.GetString(5), r.GetString(6), Instant(r.GetInt64(7)), r.GetInt32(8)));
    }));

    public void RemoveRejected(string tenant, string rejectionId) => Write(scope => scope.Execute(
        "DELETE FROM rejected WHERE tenant = @tenant AND rejection_id = @id", ("tenant", tenant), ("id", rejectionId)));

    public void SaveInvoice(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var document = new NpgsqlParameter("document", NpgsqlDbType.Jsonb) { Value = InvoiceDocument.Write(invoice) };
        Write(scope =>
        {
            using var command = scope.Command(
                """
                INSERT INTO invoices (tenant, id, customer, number, kind, status, currency, period_from_ticks, period_to_ticks,
                                      subtotal, credits_applied, total, document)
                VALUES (@tenant, @id, @customer, @number, @kind, @status, @currency, @from, @to, @subtotal, @credits, @total, @document)
                ON CONFLICT (tenant, id) DO UPDATE SET
                    customer = EXCLUDED.customer, number = EXCLUDED.number, kind = EXCLUDED.kind, status = EXCLUDED.status,
                    currency = EXCLUDED.currency, period_from_ticks = EXCLUDED.period_from_ticks,
                    period_to_ticks = EXCLUDED.period_to_ticks, subtotal = EXCLUDED.subtotal,
                    credits_applied = EXCLUDED.credits_applied, total = EXCLUDED.total, document = EXCLUDED.document
                """,
                ("tenant", invoice.Tenant), ("id", invoice.Id), ("customer", invoice.Customer), ("number", invoice.Number),
                ("kind", invoice.Kind.ToString()), ("status", invoice.Status.ToString()), ("currency", invoice.Currency),
                ("from", invoice.PeriodFrom.UtcTicks), ("to", invoice.PeriodTo.UtcTicks), ("subtotal", invoice.Subtotal),
                ("credits", invoice.CreditsApplied), ("total", invoice.Total));
            command.Parameters.Add(document.Clone());
            command.ExecuteNonQuery();
        });
    }

    public Invoice? FindInvoice(string tenant, string invoiceId) => Read(scope =>
    {
        using var command = scope.Command("SELECT document FROM invoices WHERE tenant = @tenant AND id = @id", ("tenant", tenant), ("id", invoiceId));
        return command.ExecuteScalar() is string json ? InvoiceDocument.Read(json) : null;
    });

    public IReadOnlyList<Invoice> ListInvoices(string tenant, string? customer = null)
    {
        var sql = "SELECT document FROM invoices WHERE tenant = @tenant" + (customer is null ? "" : " AND customer = @customer");
        return StoreOrder.Invoices(Read(scope =>
        {
            using var command = scope.Command(sql, ("tenant", tenant), ("customer", customer));
            return ReadAll(command, r => InvoiceDocument.Read(r.GetString(0)));
        }));
    }

    public long NextInvoiceNumber(string tenant) => Write(scope =>
    {
        // The updated row stays locked until the surrounding transaction ends: numbers are gap-free across nodes.
        using var command = scope.Command(
            """
            INSERT INTO invoice_counters (tenant, last_number) VALUES (@tenant, 1)
            ON CONFLICT (tenant) DO UPDATE SET last_number = invoice_counters.last_number + 1
            RETURNING last_number
            """,
            ("tenant", tenant));
        return (long)command.ExecuteScalar()!;
    });

    public void SaveGrant(CreditGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        Write(scope => scope.Execute(
            """
            INSERT INTO grants (tenant, id, customer, currency, amount, priority, granted_at_ticks, expires_at_ticks, description)
            VALUES (@tenant, @id, @customer, @currency, @amount, @priority, @granted_at, @expires_at, @description)
            ON CONFLICT (tenant, id) DO UPDATE SET
                customer = EXCLUDED.customer, currency = EXCLUDED.currency, amount = EXCLUDED.amount,
                priority = EXCLUDED.priority, granted_at_ticks = EXCLUDED.granted_at_ticks,
                expires_at_ticks = EXCLUDED.expires_at_ticks, description = EXCLUDED.description
            """,
            ("tenant", grant.Tenant), ("id", grant.Id), ("customer", grant.Customer), ("currency", grant.Currency),
            ("amount", grant.Amount), ("priority", grant.Priority), ("granted_at", grant.GrantedAt.UtcTicks),
            ("expires_at", grant.ExpiresAt?.UtcTicks), ("description", grant.Description)));
    }

    public IReadOnlyList<CreditGrant> ListGrants(string tenant, string customer) => StoreOrder.Grants(Read(scope =>
    {
        using var command = scope.Command(
            """
            SELECT tenant, id, customer, currency, amount, priority, granted_at_ticks, expires_at_ticks, description
            FROM grants WHERE tenant = @tenant AND customer = @customer
            """,
            ("tenant", tenant), ("customer", customer));
        return ReadAll(command, r => new CreditGrant(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDecimal(4), r.GetInt32(5),
            Instant(r.GetInt64(6)), r.IsDBNull(7) ? null : Instant(r.GetInt64(7)), NullableText(r, 8)));
    }));

    public void AppendLedger(CreditLedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Write(scope =>
        {
            // ON CONFLICT DO NOTHING instead of catching a unique violation: a failed statement would abort the
            // caller's whole transaction, while this leaves it usable after the refusal.
            using var command = scope.Command(
                """
                INSERT INTO ledger (tenant, id, customer, grant_id, currency, amount, balance_after, kind, invoice_id, at_ticks)
                VALUES (@tenant, @id, @customer, @grant, @currency, @amount, @balance, @kind, @invoice, @at)
                ON CONFLICT (tenant, id) DO NOTHING
                """,
                ("tenant", entry.Tenant), ("id", entry.Id), ("customer", entry.Customer), ("grant", entry.GrantId),
                ("currency", entry.Currency), ("amount", entry.Amount), ("balance", entry.BalanceAfter), ("kind", entry.Kind),
                ("invoice", entry.InvoiceId), ("at", entry.At.UtcTicks));
            if (command.ExecuteNonQuery() == 0)
            {
                throw new InvalidOperationException($"ledger entry '{entry.Id}' already exists for tenant '{entry.Tenant}'; ledger entries are append-only");
            }
        });
    }

    public IReadOnlyList<CreditLedgerEntry> ReadLedger(string tenant, string customer) => Read(scope =>
    {
        using var command = scope.Command(
            """
            SELECT tenant, id, customer, grant_id, currency, amount, balance_after, kind, invoice_id, at_ticks
            FROM ledger WHERE tenant = @tenant AND customer = @customer ORDER BY seq
            """,
            ("tenant", tenant), ("customer", customer));
        return ReadAll(command, r => new CreditLedgerEntry(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetDecimal(5), r.GetDecimal(6),
            r.GetString(7), NullableText(r, 8), Instant(r.GetInt64(9))));
    });

    /// <summary>
    /// Runs <paramref name="work"/> in one database transaction on one connection bound to the calling thread; an
    /// exception rolls it back and propagates. A nested call joins the outer transaction. Other threads and nodes see
    /// nothing of it before it commits.
    /// </summary>
    public T InTransaction<T>(Func<IBillingStore, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ThrowIfDisposed();
        if (_scope.Value is not null) return work(this);

        using var scope = Scope.Begin(_dataSource);
        _scope.Value = scope;
        try
        {
            var result = work(this);
            scope.Commit();
            return result;
        }
        finally
        {
            _scope.Value = null;
        }
    }

    /// <summary>
    /// Takes or renews a lease with one atomic upsert on claims, timed by the database clock (node clocks may
    /// disagree; the database's is the one all nodes share). Must be called outside <see cref="InTransaction{T}"/>:
    /// a lease that only became visible at the end of a long transaction would not keep other nodes out meanwhile.
    /// </summary>
    public bool TryClaim(string kind, string key, string owner, TimeSpan lease)
    {
        InProcessWorkClaims.Validate(kind, key, owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.Zero);
        RequireNoTransaction(nameof(TryClaim));
        return Write(scope =>
        {
            using var command = scope.Command(
                """
                INSERT INTO claims (kind, key, owner, expires_at) VALUES (@kind, @key, @owner, clock_timestamp() + @lease)
                ON CONFLICT (kind, key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                WHERE claims.owner = EXCLUDED.owner OR claims.expires_at <= clock_timestamp()
                RETURNING owner
                """,
                ("kind", kind), ("key", key), ("owner", owner), ("lease", lease));
            return command.ExecuteScalar() is not null;
        });
    }

    public bool Holds(string kind, string key, string owner)
    {
        InProcessWorkClaims.Validate(kind, key, owner);
        // FOR UPDATE inside a transaction keeps a takeover (which updates this row) waiting until the work commits.
        var sql = "SELECT expires_at > clock_timestamp() FROM claims WHERE kind = @kind AND key = @key AND owner = @owner"
            + (_scope.Value is null ? "" : " FOR UPDATE");
        return Read(scope =>
        {
            using var command = scope.Command(sql, ("kind", kind), ("key", key), ("owner", owner));
            return command.ExecuteScalar() is true;
        });
    }

    public void Release(string kind, string key, string owner)
    {
        InProcessWorkClaims.Validate(kind, key, owner);
        RequireNoTransaction(nameof(Release));
        Write(scope => scope.Execute(
            "DELETE FROM claims WHERE kind = @kind AND key = @key AND owner = @owner", ("kind", kind), ("key", key), ("owner", owner)));
    }

    /// <summary>
    /// A transaction-level advisory lock on the period (its key hashed to 64 bits; a collision only makes two closes
    /// take turns). It is released at commit or rollback, and when a node dies its connection drops and PostgreSQL
    /// releases it, so a dead node never blocks the period.
    /// </summary>
    public void LockPeriod(string tenant, string customer, string contract, DateTimeOffset periodFrom)
    {
        if (_scope.Value is not { } scope) throw new InvalidOperationException("LockPeriod must be called inside InTransaction");
        scope.Execute("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))",
            ("key", StoreKey.Compose("rulesbilling.period", tenant, customer, contract, periodFrom.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _dataSource.Dispose();
        _scope.Dispose();
    }

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

    /// <summary>Runs a query in the thread's open transaction, or on a connection of its own (the sibling stores share this).</summary>
    internal T Read<T>(Func<Scope, T> query)
    {
        ThrowIfDisposed();
        if (_scope.Value is { } scope) return query(scope);
        using var readOnly = Scope.Connect(_dataSource);
        return query(readOnly);
    }

    internal void Write(Action<Scope> work) => Write(scope =>
    {
        work(scope);
        return 0;
    });

    /// <summary>
    /// Runs a write in the thread's open transaction, or else in a transaction of its own. Only a standalone write
    /// is retried, on deadlock or serialization failure: nothing of it committed, and inside a caller's transaction
    /// only the caller can decide to start over.
    /// </summary>
    internal T Write<T>(Func<Scope, T> work, bool retryTransient = false)
    {
        ThrowIfDisposed();
        if (_scope.Value is { } outer) return work(outer);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var scope = Scope.Begin(_dataSource);
                var result = work(scope);
                scope.Commit();
                return result;
            }
            catch (PostgresException e) when (retryTransient && attempt < MaxAttempts && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
            }
        }
    }

    private void RequireNoTransaction(string operation)
    {
        if (_scope.Value is not null)
        {
            throw new InvalidOperationException($"{operation} must be called outside InTransaction: a claim has to be visible to other nodes at once");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    internal static List<T> ReadAll<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(map(reader));
        return rows;
    }

    internal static DateTimeOffset Instant(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    internal static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A connection and, for writes, its transaction, plus what to do once that transaction commits.</summary>
    internal sealed class Scope : IDisposable
    {
        private readonly List<Action> _afterCommit = [];

        private Scope(NpgsqlConnection connection, NpgsqlTransaction? transaction)
        {
            Connection = connection;
            Transaction = transaction;
        }

        public NpgsqlConnection Connection { get; }

        public NpgsqlTransaction? Transaction { get; }

        public static Scope Connect(NpgsqlDataSource dataSource) => new(dataSource.OpenConnection(), null);

        public static Scope Begin(NpgsqlDataSource dataSource)
        {
            var connection = dataSource.OpenConnection();
            try
            {
                return new Scope(connection, connection.BeginTransaction());
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public void AfterCommit<T>(Action<T> action, T argument) => _afterCommit.Add(() => action(argument));

        public void Commit()
        {
            Transaction!.Commit();
            foreach (var action in _afterCommit) action();
        }

        public NpgsqlCommand Command(string sql, params (string Name, object? Value)[] parameters)
        {
            var command = new NpgsqlCommand(sql, Connection, Transaction);
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            return command;
        }

        public void Execute(string sql, params (string Name, object? Value)[] parameters)
        {
            using var command = Command(sql, parameters);
            command.ExecuteNonQuery();
        }

        /// <summary>Disposing without <see cref="Commit"/> rolls the transaction back.</summary>
        public void Dispose()
        {
            Transaction?.Dispose();
            Connection.Dispose();
        }
    }
}
