using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Storage;
using static RulesBilling.Engine.Tests.Ingestion.CloudEvents;

namespace RulesBilling.Engine.Tests.Ingestion;

/// <summary>Ingestion through the file store, across a restart.</summary>
public sealed class LiteDbIngestionTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));

    private string DatabaseFile => _directory.File("billing.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Acknowledged_events_and_rejections_survive_a_restart_and_retries_after_it_are_duplicates()
    {
        var events = Enumerable.Range(0, 250).Select(i => Call($"e{i}", subject: $"cust-{i % 4}", minutes: i * 0.25m)).ToArray();
        List<StoredEvent> before;
        using (var store = new LiteDbBillingStore(DatabaseFile))
        {
            var ingestor = new EventIngestor(store, _clock);
            var result = ingestor.Ingest("t1", Batch([.. events, CallWith("time", "\"yesterday\"")]), TestRules.Calls);
            Assert.Equal((250, 0, 1), (result.Accepted, result.Duplicates, result.Rejected));
            before = store.ReadEvents("t1").ToList();
        }

        using var reopened = new LiteDbBillingStore(DatabaseFile);
        Assert.Equal(before, reopened.ReadEvents("t1").ToList());
        Assert.Equal(["cust-0", "cust-1", "cust-2", "cust-3"], reopened.Customers("t1"));
        Assert.Equal("attribute 'time' must be an RFC 3339 timestamp such as \"2026-01-31T12:00:00Z\", got \"yesterday\"",
            reopened.ReadRejected("t1").Single().Reason);

        var retry = new EventIngestor(reopened, _clock).Ingest("t1", Batch(events), TestRules.Calls);

        Assert.Equal((0, 250, 0), (retry.Accepted, retry.Duplicates, retry.Rejected));
        Assert.Equal(before, reopened.ReadEvents("t1").ToList());
    }

    [Fact]
    public void Concurrent_ingestors_sharing_one_store_store_each_event_once()
    {
        using var store = new LiteDbBillingStore(DatabaseFile);
        var events = Enumerable.Range(0, 120).Select(i => Call($"e{i}")).ToArray();
        var accepted = 0;

        var workers = Enumerable.Range(0, 3).Select(w => new Thread(() =>
        {
            var ingestor = new EventIngestor(store, _clock);
            // Overlapping windows: worker w sends events [20w, 20w + 80).
            var result = ingestor.Ingest("t1", Batch(events.Skip(20 * w).Take(80).ToArray()), TestRules.Calls);
            Interlocked.Add(ref accepted, result.Accepted);
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        Assert.Equal(120, accepted);
        Assert.Equal(120, store.ReadEvents("t1").Count());
    }
}
