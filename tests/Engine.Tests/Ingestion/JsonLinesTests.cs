using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Ingestion.CloudEvents;

namespace RulesBilling.Engine.Tests.Ingestion;

public sealed class JsonLinesTests
{
    private readonly InMemoryBillingStore _store = new();
    private readonly EventIngestor _ingestor;

    public JsonLinesTests() => _ingestor = new EventIngestor(_store, new TestClock(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Each_line_is_one_event_blank_lines_are_skipped_and_bad_lines_are_rejections_with_their_line_number()
    {
        var file = string.Join("\n",
            Call("e1"),
            "",
            "   ",
            "{\"specversion\": \"1.0\", oops",
            Call("e2"),
            CallWith("subject", null),
            Call("e1"));

        var result = _ingestor.IngestJsonLines("t1", new StringReader(file), TestRules.Calls);

        Assert.True(result.Succeeded);
        Assert.Equal((2, 1, 2), (result.Accepted, result.Duplicates, result.Rejected));
        Assert.Equal([(0, 1), (1, 4), (2, 5), (3, 6), (4, 7)], result.Events.Select(e => (e.Index, e.Line!.Value)));
        Assert.Equal(
            [EventStatus.Accepted, EventStatus.Rejected, EventStatus.Accepted, EventStatus.Rejected, EventStatus.Duplicate],
            result.Events.Select(e => e.Status));
        Assert.StartsWith("malformed JSON: ", result.Events[1].Reason);
        Assert.Equal("missing required attribute 'subject'", result.Events[3].Reason);

        var rejected = _store.ReadRejected("t1").OrderBy(r => r.Reason, StringComparer.Ordinal).ToList();
        Assert.Equal(2, rejected.Count);
        Assert.StartsWith("line 4: malformed JSON: ", rejected[0].Reason);
        Assert.Equal("{\"specversion\": \"1.0\", oops", rejected[0].RawJson);
        Assert.Equal("line 6: missing required attribute 'subject'", rejected[1].Reason);
    }

    [Fact]
    public void A_file_longer_than_one_batch_is_ingested_in_chunks_with_dedup_across_them()
    {
        var lines = Enumerable.Range(0, 2 * EventIngestor.MaxBatchSize + 5).Select(i => Call($"e{i % 2100}")).ToList();
        lines.Add(Call("e0"));

        var result = _ingestor.IngestJsonLines("t1", new StringReader(string.Join("\r\n", lines)), TestRules.Calls);

        Assert.Equal((2005, 1, 0), (result.Accepted, result.Duplicates, result.Rejected));
        Assert.Equal(2006, result.Events[^1].Line);
        Assert.Equal(2005, _store.ReadEvents("t1").Count());
    }

    [Fact]
    public void An_empty_file_succeeds_with_no_events()
    {
        var result = _ingestor.IngestJsonLines("t1", new StringReader("\n\n"), TestRules.Calls);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Events);
    }
}
