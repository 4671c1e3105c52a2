using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Ingestion.CloudEvents;

namespace RulesBilling.Engine.Tests.Ingestion;

public sealed class EventIngestorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly InMemoryBillingStore _store = new();
    private readonly EventIngestor _ingestor;

    public EventIngestorTests() => _ingestor = new EventIngestor(_store, new TestClock(Now));

    [Fact]
    public void A_single_valid_event_is_stored_with_utc_time_raw_data_and_the_clock_as_stored_at()
    {
        var result = _ingestor.Ingest("t1", Call("e1", time: "2026-03-01T12:30:00+02:00", minutes: 2.50m), TestRules.Calls);

        Assert.True(result.Succeeded);
        Assert.Equal((1, 0, 0), (result.Accepted, result.Duplicates, result.Rejected));
        Assert.Equal([new EventResult(0, null, "agent://support", "e1", EventStatus.Accepted, null)], result.Events);
        var stored = Assert.Single(_store.ReadEvents("t1"));
        Assert.Equal(("agent://support", "e1", "call.completed", "cust-1"), (stored.Source, stored.Id, stored.Type, stored.Subject));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 30, 0, TimeSpan.Zero), stored.Time);
        Assert.Equal(TimeSpan.Zero, stored.Time.Offset);
        Assert.Equal(Now, stored.StoredAt);
        Assert.Equal("""{"minutes":2.50,"agent":"triage"}""", stored.DataJson);
    }

    [Fact]
    public void A_batch_reports_each_event_in_input_order_with_duplicates_and_rejections()
    {
        var batch = Batch(Call("e1"), CallWith("subject", null), Call("e2"), Call("e1"), Call("e3", source: "agent://other"));

        var result = _ingestor.Ingest("t1", batch, TestRules.Calls);

        Assert.Equal((3, 1, 1), (result.Accepted, result.Duplicates, result.Rejected));
        Assert.Equal(
        [
            new EventResult(0, null, "agent://support", "e1", EventStatus.Accepted, null),
            new EventResult(1, null, "agent://support", "e1", EventStatus.Rejected, "missing required attribute 'subject'"),
            new EventResult(2, null, "agent://support", "e2", EventStatus.Accepted, null),
            new EventResult(3, null, "agent://support", "e1", EventStatus.Duplicate, null),
            new EventResult(4, null, "agent://other", "e3", EventStatus.Accepted, null),
        ],
        result.Events);
        Assert.Equal(["e1", "e2", "e3"], _store.ReadEvents("t1").Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Resending_a_batch_stores_nothing_new_and_reports_every_event_as_duplicate()
    {
        var batch = Batch(Call("e1"), Call("e2"));
        _ingestor.Ingest("t1", batch, TestRules.Calls);
        var before = _store.ReadEvents("t1").ToList();

        var again = _ingestor.Ingest("t1", batch, TestRules.Calls);

        Assert.Equal((0, 2, 0), (again.Accepted, again.Duplicates, again.Rejected));
        Assert.Equal(before, _store.ReadEvents("t1").ToList());
    }

    [Fact]
    public void The_same_event_for_another_tenant_is_a_new_event()
    {
        _ingestor.Ingest("t1", Call("e1"), TestRules.Calls);

        var other = _ingestor.Ingest("t2", Call("e1"), TestRules.Calls);

        Assert.Equal(1, other.Accepted);
        Assert.Single(_store.ReadEvents("t2"));
    }

    [Theory]
    [InlineData("specversion", null, "missing required attribute 'specversion'")]
    [InlineData("specversion", "\"0.3\"", "unsupported specversion '0.3'; expected '1.0'")]
    [InlineData("specversion", "1.0", "attribute 'specversion' must be a string, not a number")]
    [InlineData("id", null, "missing required attribute 'id'")]
    [InlineData("id", "null", "missing required attribute 'id'")]
    [InlineData("id", "42", "attribute 'id' must be a string, not a number")]
    [InlineData("source", "\"\"", "attribute 'source' must not be empty")]
    [InlineData("type", "[\"a\"]", "attribute 'type' must be a string, not an array")]
    [InlineData("subject", "\"\"", "attribute 'subject' must not be empty")]
    [InlineData("time", null, "missing required attribute 'time'")]
    [InlineData("time", "\"2026-03-01 10:00:00Z\"", "attribute 'time' must be an RFC 3339 timestamp such as \"2026-01-31T12:00:00Z\", got \"2026-03-01 10:00:00Z\"")]
    [InlineData("time", "\"2026-03-01T10:00:00\"", "attribute 'time' must be an RFC 3339 timestamp such as \"2026-01-31T12:00:00Z\", got \"2026-03-01T10:00:00\"")]
    [InlineData("time", "\"2026-02-30T10:00:00Z\"", "attribute 'time' must be an RFC 3339 timestamp such as \"2026-01-31T12:00:00Z\", got \"2026-02-30T10:00:00Z\"")]
    [InlineData("time", "\"٢٠٢٦-03-01T10:00:00Z\"", "attribute 'time' must be an RFC 3339 timestamp such as \"2026-01-31T12:00:00Z\", got \"٢٠٢٦-03-01T10:00:00Z\"")]
    [InlineData("type", "\"call.started\"", "unknown event type 'call.started'")]
    [InlineData("data_base64", "\"AAAA\"", "an event may carry 'data' or 'data_base64', not both")]
    [InlineData("datacontenttype", "\"application/xml\"", "datacontenttype \"application/xml\" is not supported; 'data' must be JSON (application/json)")]
    [InlineData("data", "{\"agent\":\"triage\"}", "required field 'minutes' (a decimal number) is missing")]
    [InlineData("data", "{\"minutes\":\"lots\",\"agent\":\"triage\"}", "field 'minutes' must be a decimal number, got \"lots\"")]
    [InlineData("data", "[1]", "data must be a JSON object for event type 'call.completed', not an array")]
    [InlineData("data", "{\"minutes\":1,\"agent\":\"a\",\"cost\":{\"amount\":\"1\",\"currency\":\"EUR\"}}", "field 'cost' must be in USD, got \"EUR\"")]
    public void An_invalid_event_is_rejected_with_a_clear_reason_and_kept_for_replay(string attribute, string? rawValue, string reason)
    {
        var json = CallWith(attribute, rawValue);

        var result = _ingestor.Ingest("t1", json, TestRules.Calls);

        Assert.True(result.Succeeded);
        Assert.Equal((0, 0, 1), (result.Accepted, result.Duplicates, result.Rejected));
        var only = Assert.Single(result.Events);
        Assert.Equal((EventStatus.Rejected, reason), (only.Status, only.Reason));
        Assert.Empty(_store.ReadEvents("t1"));
        var rejected = Assert.Single(_store.ReadRejected("t1"));
        Assert.Equal((json, reason, Now, 1), (rejected.RawJson, rejected.Reason, rejected.RejectedAt, rejected.Attempts));
        Assert.StartsWith("rej-", rejected.RejectionId);
    }

    [Fact]
    public void A_rejection_echoes_the_identity_attributes_it_could_read()
    {
        var result = _ingestor.Ingest("t1", CallWith("type", "\"nope\""), TestRules.Calls);

        var rejected = Assert.Single(_store.ReadRejected("t1"));
        Assert.Equal(("agent://support", "e1", "nope"), (rejected.Source, rejected.Id, rejected.Type));
        Assert.Equal(("agent://support", "e1"), (result.Events[0].Source, result.Events[0].Id));
    }

    [Fact]
    public void A_batch_element_that_is_not_an_object_is_rejected_alone()
    {
        var result = _ingestor.Ingest("t1", Batch(Call("e1"), "42"), TestRules.Calls);

        Assert.Equal((1, 0, 1), (result.Accepted, result.Duplicates, result.Rejected));
        Assert.Equal("a CloudEvent must be a JSON object, not a number", result.Events[1].Reason);
        Assert.Equal("42", _store.ReadRejected("t1").Single().RawJson);
    }

    [Fact]
    public void Sending_the_same_bad_event_twice_stores_one_rejection()
    {
        var bad = CallWith("subject", null);

        _ingestor.Ingest("t1", Batch(bad, bad), TestRules.Calls);
        _ingestor.Ingest("t1", bad, TestRules.Calls);

        Assert.Single(_store.ReadRejected("t1"));
    }

    [Theory]
    [InlineData("2026-03-01T10:00:00.123456789+02:00", "2026-03-01T08:00:00.1234567+00:00")]
    [InlineData("2026-03-01t10:00:00.5z", "2026-03-01T10:00:00.5000000+00:00")]
    [InlineData("2026-03-01T00:30:00-05:30", "2026-03-01T06:00:00.0000000+00:00")]
    public void Event_times_are_parsed_as_rfc_3339_and_converted_to_utc(string time, string expectedUtc)
    {
        var result = _ingestor.Ingest("t1", Call("e1", time: time), TestRules.Calls);

        Assert.Equal(1, result.Accepted);
        Assert.Equal(expectedUtc, _store.ReadEvents("t1").Single().Time.ToString("o"));
    }

    [Theory]
    [InlineData("{\"id\": ", "malformed JSON: ")]
    [InlineData("[{\"id\":\"a\"},", "malformed JSON: ")]
    [InlineData("{\"id\":\"a\",\"id\":\"b\"}", "malformed JSON: ")]
    [InlineData("   ", "malformed JSON: the input is empty")]
    [InlineData("42", "expected a CloudEvent object or an array of CloudEvents")]
    [InlineData("\"event\"", "expected a CloudEvent object or an array of CloudEvents")]
    public void Unusable_input_as_a_whole_is_an_error_and_writes_nothing(string json, string errorStart)
    {
        var result = _ingestor.Ingest("t1", json, TestRules.Calls);

        Assert.False(result.Succeeded);
        Assert.StartsWith(errorStart, result.Error);
        Assert.Empty(result.Events);
        Assert.Empty(_store.ReadEvents("t1"));
        Assert.Empty(_store.ReadRejected("t1"));
    }

    [Fact]
    public void A_batch_over_the_maximum_size_is_refused_and_writes_nothing()
    {
        var events = Enumerable.Range(0, EventIngestor.MaxBatchSize + 1).Select(i => Call($"e{i}")).ToArray();

        var result = _ingestor.Ingest("t1", Batch(events), TestRules.Calls);

        Assert.Equal("the batch has 1001 events; the maximum is 1000", result.Error);
        Assert.Empty(_store.ReadEvents("t1"));
    }

    [Fact]
    public void A_batch_of_exactly_the_maximum_size_is_accepted()
    {
        var events = Enumerable.Range(0, EventIngestor.MaxBatchSize).Select(i => Call($"e{i}")).ToArray();

        var result = _ingestor.Ingest("t1", Batch(events), TestRules.Calls);

        Assert.Equal(EventIngestor.MaxBatchSize, result.Accepted);
        Assert.Equal(EventIngestor.MaxBatchSize, _store.ReadEvents("t1").Count());
    }

    [Fact]
    public void An_empty_batch_succeeds_with_nothing_to_report()
    {
        var result = _ingestor.Ingest("t1", "[]", TestRules.Calls);

        Assert.True(result.Succeeded);
        Assert.Equal((0, 0, 0), (result.Accepted, result.Duplicates, result.Rejected));
        Assert.Empty(result.Events);
    }
}
