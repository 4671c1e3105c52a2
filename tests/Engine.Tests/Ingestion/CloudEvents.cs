using System.Text.Json;

namespace RulesBilling.Engine.Tests.Ingestion;

/// <summary>CloudEvent JSON for tests; every attribute can be left out or replaced by raw JSON.</summary>
internal static class CloudEvents
{
    public static string Call(
        string id, string source = "agent://support", string subject = "cust-1", string time = "2026-03-01T10:00:00Z",
        decimal minutes = 3.5m, string agent = "triage") =>
        Json(new Dictionary<string, object?>
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = source,
            ["type"] = "call.completed",
            ["subject"] = subject,
            ["time"] = time,
            ["data"] = new Dictionary<string, object?> { ["minutes"] = minutes, ["agent"] = agent },
        });

    /// <summary>A valid call event with one attribute replaced by <paramref name="rawValue"/> (raw JSON) or removed when null.</summary>
    public static string CallWith(string attribute, string? rawValue)
    {
        using var document = JsonDocument.Parse(Call("e1"));
        var parts = document.RootElement.EnumerateObject()
            .Where(p => p.Name != attribute)
            .Select(p => $"{JsonSerializer.Serialize(p.Name)}:{p.Value.GetRawText()}")
            .ToList();
        if (rawValue is not null) parts.Add($"{JsonSerializer.Serialize(attribute)}:{rawValue}");
        return "{" + string.Join(",", parts) + "}";
    }

    public static string Batch(params string[] events) => "[" + string.Join(",", events) + "]";

    private static string Json(object value) => JsonSerializer.Serialize(value);
}
