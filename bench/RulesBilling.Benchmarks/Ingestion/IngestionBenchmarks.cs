using System.Globalization;
using BenchmarkDotNet.Attributes;
using LiteDB;
using RulesBilling.Benchmarks.Workload;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Benchmarks.Ingestion;

/// <summary>
/// Batches of 1,000 CloudEvents through <see cref="EventIngestor"/> (JSON parse, envelope and schema validation,
/// dedup on (tenant, source, id), one transaction per batch) into <see cref="LiteDbBillingStore"/>, against raw
/// LiteDB <c>InsertBulk</c> of the same documents into a file opened the same way (the store's own limit).
/// Every iteration starts from an empty file and writes 10 batches; one operation is one event.
/// </summary>
[MemoryDiagnoser]
public class IngestionBenchmarks
{
    /// <summary>Batches written per iteration (the job's invocation count).</summary>
    public const int Batches = 10;
    private const int BatchSize = 1000;

    private readonly TimeProvider _clock = new FixedClock(BenchTasks.March.AddDays(40));
    private CompiledRuleSet _rules = null!;
    private string[] _jsonBatches = [];
    private BsonDocument[][] _documentBatches = [];
    private List<StoredEvent>[] _storedBatches = [];
    private string _folder = "";
    private int _next;
    private LiteDbBillingStore? _store;
    private EventIngestor? _ingestor;
    private LiteDatabase? _raw;
    private ILiteCollection<BsonDocument>? _collection;

    [GlobalSetup]
    public void Setup()
    {
        _rules = BenchRules.Compile(customers: 1000);
        var tasks = BenchTasks.Generate(seed: 11, Batches * BatchSize, customers: 1000, "ing-").ToArray();
        _jsonBatches = tasks.Chunk(BatchSize).Select(BenchTask.Batch).ToArray();
        var storedAt = _clock.GetUtcNow();
        _documentBatches = tasks.Chunk(BatchSize)
            .Select((chunk, b) => chunk.Select((t, i) => RawDocument(t, storedAt, (long)b * BatchSize + i + 1)).ToArray())
            .ToArray();
        _storedBatches = tasks.Chunk(BatchSize)
            .Select(chunk => chunk.Select(t => new StoredEvent(BenchRules.Tenant, BenchTask.Source, t.TaskId, BenchRules.EventType, t.Subject, t.Time, storedAt, 0, t.DataJson())).ToList())
            .ToArray();
    }

    [IterationSetup(Targets = [nameof(Ingestor), nameof(StoreAppend)])]
    public void OpenStore()
    {
        NewFolder();
        _store = new LiteDbBillingStore(Path.Combine(_folder, "billing.db"));
        _ingestor = new EventIngestor(_store, _clock);
    }

    [IterationSetup(Target = nameof(RawInsertBulk))]
    public void OpenRaw()
    {
        NewFolder();
        _raw = new LiteDatabase(new ConnectionString
        {
            Filename = Path.Combine(_folder, "raw.db"),
            Connection = ConnectionType.Direct,
            Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
        }, new BsonMapper());
        _collection = _raw.GetCollection("events");
        _collection.EnsureIndex("tenant");
        _collection.EnsureIndex("tc");
    }

    [IterationCleanup]
    public void Close()
    {
        _store?.Dispose();
        _raw?.Dispose();
        _store = null;
        _raw = null;
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize, Description = "raw LiteDB InsertBulk")]
    public int RawInsertBulk() => _collection!.InsertBulk(_documentBatches[_next++ % Batches]);

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "EventIngestor (LiteDB)")]
    public int Ingestor()
    {
        var result = _ingestor!.Ingest(BenchRules.Tenant, _jsonBatches[_next++ % Batches], _rules);
        if (result.Accepted != BatchSize) throw new InvalidOperationException($"accepted {result.Accepted} of {BatchSize}: {result.Error ?? result.Events.FirstOrDefault(e => e.Reason is not null)?.Reason}");
        return result.Accepted;
    }

    /// <summary>The store alone (dedup lookups, sequence counter, InsertBulk, commit) without JSON parsing and validation.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize, Description = "LiteDbBillingStore.AppendEvents")]
    public int StoreAppend() => _store!.AppendEvents(_storedBatches[_next++ % Batches]).Count;

    private void NewFolder()
    {
        _next = 0;
        _folder = Path.Combine(Path.GetTempPath(), "rb-bench-ingest", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    /// <summary>The document the store writes for this event (same fields, same key shape).</summary>
    private static BsonDocument RawDocument(BenchTask t, DateTimeOffset storedAt, long sequence) => new()
    {
        ["_id"] = BenchRules.Tenant + "\u001f" + BenchTask.Source + "\u001f" + t.TaskId,
        ["tenant"] = BenchRules.Tenant,
        ["tc"] = BenchRules.Tenant + "\u001f" + t.Subject,
        ["source"] = BenchTask.Source,
        ["id"] = t.TaskId,
        ["type"] = BenchRules.EventType,
        ["subject"] = t.Subject,
        ["time"] = t.Time.UtcTicks,
        ["storedAt"] = storedAt.UtcTicks,
        ["seq"] = sequence,
        ["data"] = t.DataJson(),
    };
}
