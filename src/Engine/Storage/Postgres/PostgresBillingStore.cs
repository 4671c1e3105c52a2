using Npgsql;
using RulesBilling.Engine.Claims;

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
/// <para>
/// This file holds the opening, the transaction scope and the connection handling the sibling stores (tenants,
/// payments, notifications, outcome state) share; each aggregate is in a file of its own:
/// <c>PostgresBillingStore.Events.cs</c>, <c>.Rejections.cs</c>, <c>.Invoices.cs</c>, <c>.Credits.cs</c>, and
/// <c>.Claims.cs</c> (work claims and the period lock).
/// </para>
/// </summary>
public sealed partial class PostgresBillingStore : IBillingStore, IWorkClaims, IPeriodCloseLock
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

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _dataSource.Dispose();
        _scope.Dispose();
    }

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
