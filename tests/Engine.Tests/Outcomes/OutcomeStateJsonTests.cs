using System.Text.Json;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Outcomes;
using static RulesBilling.Engine.Outcomes.OutcomeStateJson;

namespace RulesBilling.Engine.Tests.Outcomes;

public sealed class OutcomeStateJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));

    [Fact]
    public void An_event_entry_reads_back_its_exclusions_errors_and_time_exactly()
    {
        var detection = new OutcomeDetection([],
            [
                new ExcludedEvent("agent-a/e1", "resolved", ExclusionReasons.FailedCondition, null),
                new ExcludedEvent("agent-a/e1", "other", ExclusionReasons.RejectedBySchema, "field \"units\": expected integer, got \u00e9 \\ \n"),
            ],
            [new RatingError("acme", "agent-a/e1", "resolved", "RB0901", "t.rules:3:5: error RB0901: division by zero")]);

        var (read, time) = EventDetection(Serialize(DetectionDocument.Of(detection) with { Time = At }));

        Assert.Equal(JsonSerializer.Serialize(detection), JsonSerializer.Serialize(read));
        Assert.Equal(At, time);
        Assert.Equal(At.Offset, time!.Value.Offset);
    }

    [Fact]
    public void An_event_entry_written_before_times_were_recorded_reads_without_a_time()
    {
        var detection = new OutcomeDetection([], [new ExcludedEvent("s/e", "resolved", ExclusionReasons.FailedCondition, null)], []);

        var (read, time) = EventDetection(Serialize(DetectionDocument.Of(detection)));

        Assert.Equal(JsonSerializer.Serialize(detection), JsonSerializer.Serialize(read));
        Assert.Null(time);
    }
}
