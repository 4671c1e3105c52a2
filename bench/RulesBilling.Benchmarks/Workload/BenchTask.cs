using System.Globalization;
using System.Text;

namespace RulesBilling.Benchmarks.Workload;

/// <summary>One generated <c>agent.task.completed</c> event.</summary>
internal sealed record BenchTask(int Customer, string TaskId, string Status, int? Csat, bool Escalated, decimal Tokens, DateTimeOffset Time)
{
    public const string Source = "//bench/agent";

    public string Subject => BenchRules.CustomerId(Customer);

    /// <summary>The CloudEvent as one line of JSON.</summary>
    public string ToJson()
    {
        var json = new StringBuilder(256);
        AppendJson(json);
        return json.ToString();
    }

    public void AppendJson(StringBuilder json)
    {
        json.Append("{\"specversion\":\"1.0\",\"id\":\"").Append(TaskId)
            .Append("\",\"source\":\"").Append(Source)
            .Append("\",\"type\":\"").Append(BenchRules.EventType)
            .Append("\",\"subject\":\"").Append(Subject)
            .Append("\",\"time\":\"").Append(Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .Append("\",\"data\":");
        AppendData(json);
        json.Append('}');
    }

    /// <summary>The <c>data</c> object alone, as the store keeps it.</summary>
    public string DataJson()
    {
        var json = new StringBuilder(128);
        AppendData(json);
        return json.ToString();
    }

    private void AppendData(StringBuilder json)
    {
        json.Append("{\"task_id\":\"").Append(TaskId).Append("\",\"status\":\"").Append(Status).Append('"');
        if (Csat is { } csat) json.Append(",\"csat\":").Append(csat.ToString(CultureInfo.InvariantCulture));
        json.Append(",\"escalated\":").Append(Escalated ? "true" : "false")
            .Append(",\"tokens\":").Append(Tokens.ToString(CultureInfo.InvariantCulture)).Append('}');
    }

    /// <summary>A JSON array of CloudEvents (the body of a batch request).</summary>
    public static string Batch(IEnumerable<BenchTask> tasks)
    {
        var json = new StringBuilder(256 * 1024);
        json.Append('[');
        var first = true;
        foreach (var task in tasks)
        {
            if (!first) json.Append(',');
            first = false;
            task.AppendJson(json);
        }
        return json.Append(']').ToString();
    }
}

/// <summary>Deterministic event streams: the same seed gives the same events.</summary>
internal static class BenchTasks
{
    public static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// <paramref name="count"/> tasks spread over <paramref name="customers"/> customers and over March 2026:
    /// 80% closed, 30% without a survey, 10% escalated, 50 to 30,000 tokens with two decimals.
    /// </summary>
    public static IEnumerable<BenchTask> Generate(int seed, long count, int customers, string idPrefix)
    {
        var random = new Random(seed);
        var monthTicks = TimeSpan.FromDays(31).Ticks;
        for (long i = 0; i < count; i++)
        {
            var roll = random.Next(10);
            var status = roll < 8 ? "closed" : roll == 8 ? "pending" : "solved_by_human";
            int? csat = random.Next(10) < 3 ? null : random.Next(1, 6);
            var escalated = random.Next(10) == 0;
            var tokens = random.Next(5_000, 3_000_000) / 100m;
            var time = March.AddTicks(i * (monthTicks / Math.Max(count, 1)));
            yield return new BenchTask((int)(i % customers), idPrefix + i.ToString(CultureInfo.InvariantCulture), status, csat, escalated, tokens, time);
        }
    }
}
