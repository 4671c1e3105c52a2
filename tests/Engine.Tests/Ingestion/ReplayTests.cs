using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Ingestion.CloudEvents;

namespace RulesBilling.Engine.Tests.Ingestion;

public sealed class ReplayTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly InMemoryBillingStore _store = new();
    private readonly TestClock _clock = new(Start);
    private readonly EventIngestor _ingestor;

    public ReplayTests() => _ingestor = new EventIngestor(_store, _clock);

    private static string Ticket(string id, string? ticket = "T-1") =>
        $$"""{"specversion":"1.0","id":"{{id}}","source":"agent://support","type":"ticket.resolved","subject":"cust-1","time":"2026-03-01T09:00:00Z","data":{{(ticket is null ? "{}" : $$"""{"ticket":"{{ticket}}"}""")}}}""";

    [Fact]
    public void Replay_stores_rejections_that_pass_the_fixed_rules_and_keeps_the_rest_with_the_new_reason()
    {
        _ingestor.Ingest("t1", Batch(Ticket("t-ok"), Ticket("t-bad", ticket: null), Call("c1")), TestRules.Calls);
        Assert.Equal(2, _store.ReadRejected("t1").Count);
        _clock.Now = Start.AddHours(1);

        var result = _ingestor.Replay("t1", TestRules.CallsAndTickets);

        Assert.Equal((1, 0, 1), (result.Accepted, result.Duplicates, result.Rejected));
        Assert.Contains(result.Events, e => e is { Id: "t-ok", Status: EventStatus.Accepted });
        Assert.Contains(result.Events, e => e is { Id: "t-bad", Status: EventStatus.Rejected, Reason: "required field 'ticket' (a string) is missing" });
        var replayed = _store.ReadEvents("t1").Single(e => e.Id == "t-ok");
        Assert.Equal(Start.AddHours(1), replayed.StoredAt);
        Assert.Equal("""{"ticket":"T-1"}""", replayed.DataJson);
        var left = Assert.Single(_store.ReadRejected("t1"));
        Assert.Equal(("t-bad", "required field 'ticket' (a string) is missing", 2, Start), (left.Id, left.Reason, left.Attempts, left.RejectedAt));
    }

    [Fact]
    public void Replay_reports_an_event_stored_meanwhile_as_duplicate_and_drops_the_rejection()
    {
        _ingestor.Ingest("t1", Ticket("t-1"), TestRules.Calls);
        _ingestor.Ingest("t1", Ticket("t-1"), TestRules.CallsAndTickets);

        var result = _ingestor.Replay("t1", TestRules.CallsAndTickets);

        Assert.Equal((0, 1, 0), (result.Accepted, result.Duplicates, result.Rejected));
        Assert.Single(_store.ReadEvents("t1"));
        Assert.Empty(_store.ReadRejected("t1"));
    }

    [Fact]
    public void Replaying_twice_counts_attempts_and_touches_only_the_given_tenant()
    {
        _ingestor.Ingest("t1", Ticket("t-1"), TestRules.Calls);
        _ingestor.Ingest("t2", Ticket("t-1"), TestRules.Calls);

        _ingestor.Replay("t1", TestRules.Calls);
        var second = _ingestor.Replay("t1", TestRules.Calls);

        Assert.Equal("unknown event type 'ticket.resolved'", second.Events.Single().Reason);
        Assert.Equal(3, _store.ReadRejected("t1").Single().Attempts);
        Assert.Equal(1, _store.ReadRejected("t2").Single().Attempts);
    }

    [Fact]
    public void A_malformed_json_line_stays_rejected_on_replay()
    {
        _ingestor.IngestJsonLines("t1", new StringReader("{oops"), TestRules.Calls);

        var result = _ingestor.Replay("t1", TestRules.CallsAndTickets);

        Assert.Equal(1, result.Rejected);
        Assert.StartsWith("malformed JSON: ", _store.ReadRejected("t1").Single().Reason);
    }
}
