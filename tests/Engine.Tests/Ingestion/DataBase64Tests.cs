using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Ingestion.CloudEvents;

namespace RulesBilling.Engine.Tests.Ingestion;

/// <summary>The CloudEvents JSON format: a receiver MUST decode data_base64; ours then holds JSON like data.</summary>
public sealed class DataBase64Tests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly InMemoryBillingStore _store = new();
    private readonly EventIngestor _ingestor;

    public DataBase64Tests() => _ingestor = new EventIngestor(_store, new TestClock(Now));

    private static string WithBase64(string dataBytes, string? contentType = "application/json")
    {
        using var document = JsonDocument.Parse(Call("e1"));
        var parts = document.RootElement.EnumerateObject().Where(p => p.Name != "data")
            .Select(p => $"{JsonSerializer.Serialize(p.Name)}:{p.Value.GetRawText()}").ToList();
        parts.Add($"\"data_base64\":{JsonSerializer.Serialize(Convert.ToBase64String(Encoding.UTF8.GetBytes(dataBytes)))}");
        if (contentType is not null) parts.Add($"\"datacontenttype\":{JsonSerializer.Serialize(contentType)}");
        return "{" + string.Join(",", parts) + "}";
    }

    [Fact]
    public void Base64_json_data_is_decoded_validated_and_stored_as_json()
    {
        var result = _ingestor.Ingest("t1", WithBase64("""{"minutes":4.25,"agent":"triage"}"""), TestRules.Calls);

        Assert.Equal((1, 0, 0), (result.Accepted, result.Duplicates, result.Rejected));
        var stored = Assert.Single(_store.ReadEvents("t1"));
        Assert.Equal("""{"minutes":4.25,"agent":"triage"}""", stored.DataJson);
    }

    [Fact]
    public void Base64_data_is_validated_against_the_event_schema_like_data()
    {
        var result = _ingestor.Ingest("t1", WithBase64("""{"agent":"triage"}""", contentType: null), TestRules.Calls);

        Assert.Equal("required field 'minutes' (a decimal number) is missing", Assert.Single(result.Events).Reason);
    }

    [Theory]
    [InlineData("\"not base64!\"", "attribute 'data_base64' is not valid base64")]
    [InlineData("42", "attribute 'data_base64' must be a base64 string, not a number")]
    [InlineData("\"bm90IGpzb24=\"", "'data_base64' must decode to JSON (datacontenttype application/json): malformed JSON: ")]
    public void Base64_that_is_not_json_is_rejected_with_its_reason(string rawValue, string reasonStart)
    {
        var json = CallWith("data", null)[..^1] + ",\"data_base64\":" + rawValue + "}";

        var result = _ingestor.Ingest("t1", json, TestRules.Calls);

        var only = Assert.Single(result.Events);
        Assert.Equal(EventStatus.Rejected, only.Status);
        Assert.StartsWith(reasonStart, only.Reason, StringComparison.Ordinal);
        Assert.Single(_store.ReadRejected("t1"));
    }
}
