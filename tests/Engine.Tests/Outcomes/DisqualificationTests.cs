using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Outcomes;

/// <summary>
/// <c>disqualified by</c> (docs/dsl-spec.md §7.8) next to a reversal: a reversal releases the key, a disqualification
/// excludes it forever — earlier and later events, in any order.
/// </summary>
public sealed class DisqualificationTests
{
    private static readonly OutcomeRule Released = Resolved with { Hold = Hold7d };

    private static readonly OutcomeRule Vetted = Resolved with
    {
        Disqualification = new DisqualificationRule("ticket.reopened", e => (string)e.Fields[0]!, Condition: null),
    };

    private static OutcomeDetection Detect(OutcomeRule rule, params StoredEvent[] events)
    {
        var rules = Set([rule]);
        return OutcomeDetector.Detect(rules, EventBinding.Bind(rules, events), DateTimeOffset.MaxValue);
    }

    private static readonly StoredEvent[] CloseReopenClose =
    [
        ClosedEvent("c1", "acme", "2026-03-01T10:00:00Z", "T-1"),
        ReopenedEvent("r1", "acme", "2026-03-02T10:00:00Z", "T-1"),
        ClosedEvent("c2", "acme", "2026-03-20T10:00:00Z", "T-1"),
        ClosedEvent("c3", "acme", "2026-03-03T10:00:00Z", "T-2"),
    ];

    [Fact]
    public void A_reversal_releases_the_key_so_the_later_close_bills()
    {
        var detection = Detect(Released, CloseReopenClose);

        Assert.Equal(["agent-a/c3", "agent-a/c2"], detection.Outcomes.Where(o => o.State == OutcomeState.Billable).Select(o => $"{o.EventSource}/{o.EventId}"));
    }

    [Fact]
    public void A_disqualification_excludes_the_key_before_and_after_and_names_the_disqualifying_event()
    {
        var detection = Detect(Vetted, CloseReopenClose);

        var outcome = Assert.Single(detection.Outcomes);
        Assert.Equal("T-2", outcome.Key);
        Assert.Equal(
            [
                ("agent-a/c1", "disqualified", "key \"T-1\" disqualified by agent-a/r1 (ticket.reopened) at 2026-03-02T10:00:00Z"),
                ("agent-a/c2", "disqualified", "key \"T-1\" disqualified by agent-a/r1 (ticket.reopened) at 2026-03-02T10:00:00Z"),
            ],
            detection.Excluded.Select(x => (x.EventId, x.Reason, x.Detail)));
    }

    [Fact]
    public void A_disqualification_after_months_still_excludes_the_key()
    {
        var detection = Detect(Vetted,
            ClosedEvent("c1", "acme", "2026-01-05T10:00:00Z", "T-1"),
            ReopenedEvent("r1", "acme", "2026-06-01T00:00:00Z", "T-1"));

        Assert.Empty(detection.Outcomes);
        Assert.Equal("disqualified", Assert.Single(detection.Excluded).Reason);
    }

    [Fact]
    public void Another_customers_disqualification_does_not_touch_the_key()
    {
        var detection = Detect(Vetted,
            ClosedEvent("c1", "acme", "2026-03-01T10:00:00Z", "T-1"),
            ReopenedEvent("r1", "beta", "2026-03-02T10:00:00Z", "T-1"));

        Assert.Equal("acme", Assert.Single(detection.Outcomes).Customer);
        Assert.Empty(detection.Excluded);
    }

    /// <summary>Any events of a ticket, in any order: a ticket with a disqualifying event never has an outcome.</summary>
    [Property(MaxTest = 200)]
    public Property A_disqualified_key_never_bills_in_any_event_order() =>
        Prop.ForAll(
            Gen.Choose(0, 59).Select(i => i).ArrayOf().ToArbitrary(),
            Gen.Choose(0, 1000).ToArbitrary(),
            (codes, seed) =>
            {
                var events = codes.Distinct().Select(code =>
                {
                    var time = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddHours(code % 20 * 30).ToString("yyyy-MM-ddTHH:mm:ssZ");
                    var ticket = $"T-{code / 20}";
                    return code % 4 == 3 ? ReopenedEvent($"e{code}", "acme", time, ticket) : ClosedEvent($"e{code}", "acme", time, ticket);
                }).ToList();
                var shuffled = events.OrderBy(e => (int.Parse(e.Id[1..]) * 7919 + seed) % 101).ToList();
                var detection = Detect(Vetted, [.. shuffled]);
                var inOrder = Detect(Vetted, [.. events]);
                var disqualified = events.Where(e => e.Type == "ticket.reopened").Select(e => "T-" + int.Parse(e.Id[1..]) / 20).ToHashSet();
                return (detection.Outcomes.All(o => !disqualified.Contains(o.Key))
                        && System.Text.Json.JsonSerializer.Serialize(detection) == System.Text.Json.JsonSerializer.Serialize(inOrder)
                        && detection.Excluded.Count(x => x.Reason == ExclusionReasons.Disqualified)
                           == events.Count(e => e.Type == "ticket.closed" && disqualified.Contains("T-" + int.Parse(e.Id[1..]) / 20)))
                    .Label(string.Join(", ", codes));
            });
}
