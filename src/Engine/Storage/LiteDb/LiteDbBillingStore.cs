using System.Collections.Concurrent;
using LiteDB;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// <see cref="IBillingStore"/> on one embedded LiteDB 5 file.
/// <para>
/// Durability promise: a write method returns only after its transaction has committed, that is, after its pages
/// are in the LiteDB log file (<c>&lt;name&gt;-log.db</c>), which is replayed on the next open. So no acknowledged
/// event, invoice, grant or ledger entry is lost when the process crashes (kill -9). There is NO promise for power
/// loss or an OS crash: LiteDB 5 does not fsync at commit (upstream #2818), so the last commits may be lost then.
/// A commit can succeed while the caller never hears about it (crash in between); the retry is then reported as
/// <see cref="AppendStatus.Duplicate"/>, which is why dedup is part of the append itself.
/// </para>
/// <para>
/// Concurrency: create ONE instance per file per process (the host registers it as a singleton) and share it
/// across threads. It opens the file in direct mode, never shared mode (hangs, #2787). Every write runs under one
/// lock, one transaction at a time, because concurrent LiteDB writers have corrupted files (#2825). Reads do not
/// take the lock; they see committed data (or, inside <see cref="InTransaction{T}"/>, the transaction's own writes).
/// Documents are mapped by hand (<see cref="BsonDocuments"/>) with a private, never-configured BsonMapper, so the
/// 5.0.21 mapper race (#2536) cannot occur. Strings compare ordinally (the file is created with an Ordinal
/// collation; LiteDB's default is case-insensitive, which would merge ids "a" and "A").
/// </para>
/// <para>
/// This file holds the opening, the writer lock and the transactions the sibling stores share; each aggregate is in
/// a file of its own: <c>LiteDbBillingStore.Events.cs</c>, <c>.Rejections.cs</c>, <c>.Invoices.cs</c>, <c>.Credits.cs</c>.
/// </para>
/// </summary>
public sealed partial class LiteDbBillingStore : IBillingStore
{
    private const string EventSequence = "event-sequence";
    private const string LedgerSequence = "ledger-sequence";
    private const string InvoiceNumber = "invoice-number";

    // LiteDB lets one process open the same file twice (two engines, no error), which defeats the single-writer rule.
    private static readonly ConcurrentDictionary<string, byte> OpenFiles = new(StringComparer.Ordinal);

    private readonly object _writeLock = new();
    private readonly string _path;
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly ILiteCollection<BsonDocument> _rejected;
    private readonly ILiteCollection<BsonDocument> _invoices;
    private readonly ILiteCollection<BsonDocument> _grants;
    private readonly ILiteCollection<BsonDocument> _ledger;
    private readonly ILiteCollection<BsonDocument> _counters;
    private bool _disposed;

    /// <summary>Opens (or creates) the store file at <paramref name="path"/>; the directory must exist.</summary>
    /// <exception cref="InvalidOperationException">The file is already open in this process, or LiteDB cannot open it (e.g. it was created with another collation).</exception>
    public LiteDbBillingStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        if (!OpenFiles.TryAdd(_path, 0))
        {
            throw new InvalidOperationException($"the store '{_path}' is already open in this process; share the one LiteDbBillingStore instance");
        }

        try
        {
            _db = LiteDbFile.Open(_path);

            _events = _db.GetCollection("events");
            _rejected = _db.GetCollection("rejected");
            _invoices = _db.GetCollection("invoices");
            _grants = _db.GetCollection("grants");
            _ledger = _db.GetCollection("ledger");
            _counters = _db.GetCollection("counters");

            // Indexes are created once here, on the opening thread, before the instance is shared.
            _events.EnsureIndex("tenant");
            _events.EnsureIndex("tc");
            _rejected.EnsureIndex("tenant");
            _invoices.EnsureIndex("tenant");
            _invoices.EnsureIndex("tc");
            _grants.EnsureIndex("tc");
            _ledger.EnsureIndex("tc");
        }
        catch (Exception e)
        {
            _db?.Dispose();
            OpenFiles.TryRemove(_path, out _);
            // LiteDB itself refuses a file whose collation differs from the ordinal one requested above.
            if (e is LiteException) throw new InvalidOperationException($"cannot open the store '{_path}': {e.Message}", e);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> as one LiteDB transaction under the writer lock; any exception rolls it all
    /// back. LiteDB transactions are bound to the thread, so <paramref name="work"/> must run synchronously on the
    /// calling thread (no await inside). A nested call joins the outer transaction.
    /// </summary>
    public T InTransaction<T>(Func<IBillingStore, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Write(() => work(this));
    }

    /// <summary>The host's tenant data (tenants, API keys, customers, rule sets, audit) in this file, written under this store's writer lock.</summary>
    public ITenantStore OpenTenantStore() => new LiteDbTenantStore(_db, Write);
    /// <summary>
    /// Lets another module (payments) keep collections in this file: writes through <see cref="WriteModule{T}"/>
    /// take the writer lock and join a transaction this thread already runs, so they commit or roll back with it.
    /// </summary>
    internal ILiteCollection<BsonDocument> ModuleCollection(string name) => _db.GetCollection(name);

    internal T WriteModule<T>(Func<T> work) => Write(work);

    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed) return;
            _disposed = true;
            // Dispose checkpoints the log into the data file.
            _db.Dispose();
            OpenFiles.TryRemove(_path, out _);
        }
    }

    private void Write(Action work) => Write(() =>
    {
        work();
        return 0;
    });

    private T Write<T>(Func<T> work)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // BeginTrans is false when this thread already runs a transaction (InTransaction): join it, and let
            // the outermost call commit or roll back.
            var owner = _db.BeginTrans();
            try
            {
                var result = work();
                if (owner) _db.Commit();
                return result;
            }
            catch
            {
                if (owner) _db.Rollback();
                throw;
            }
        }
    }

    /// <summary>Moves a persistent counter forward by <paramref name="by"/> inside the current transaction and returns its previous value.</summary>
    private long Advance(string counter, int by)
    {
        var current = _counters.FindById(counter) is { } doc ? doc["value"].AsInt64 : 0L;
        _counters.Upsert(new BsonDocument { ["_id"] = counter, ["value"] = current + by });
        return current;
    }
}
