using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Runtime;

namespace RulesBilling.Dsl.Tests.Runtime;

/// <summary>Durations outside TimeSpan's range are bad input: a readable reason, never an overflow thrown at the caller.</summary>
public sealed class EventBinderDurationTests
{
    private static readonly EventSchema Schema = new("job.done", [new FieldSchema("took", FieldType.Duration, false, 0, null)]);

    [Theory]
    [InlineData("{\"took\": 1e22}")]
    [InlineData("{\"took\": 79228162514264337593543950335}")]
    [InlineData("{\"took\": \"P99999999999D\"}")]
    public void Out_of_range_duration_is_refused_with_a_reason(string data)
    {
        using var json = JsonDocument.Parse(data);
        var bound = EventBinder.TryBind(Schema, "1", "src", "sub", DateTimeOffset.UnixEpoch, json.RootElement, out var error);
        Assert.Null(bound);
        Assert.Contains("field 'took' must be a duration", error);
    }

    [Theory]
    [InlineData("{\"took\": 90}", 900_000_000L)]
    [InlineData("{\"took\": \"PT90S\"}", 900_000_000L)]
    [InlineData("{\"took\": 1.5}", 15_000_000L)]
    public void In_range_duration_binds(string data, long expectedTicks)
    {
        using var json = JsonDocument.Parse(data);
        var bound = EventBinder.TryBind(Schema, "1", "src", "sub", DateTimeOffset.UnixEpoch, json.RootElement, out var error);
        Assert.Null(error);
        Assert.Equal(TimeSpan.FromTicks(expectedTicks), bound!.Fields[0]);
    }
}
