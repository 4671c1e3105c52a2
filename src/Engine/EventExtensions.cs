using System.Text.Json;

namespace RulesBilling.Engine;

/// <summary>
/// A stored event's CloudEvents extension attributes (e.g. <c>traceparent</c>) as the stores keep them: one JSON
/// object of name to text, or nothing when the event carried none (and for events stored before extensions were kept).
/// </summary>
internal static class EventExtensions
{
    public static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public static string? ToJson(IReadOnlyDictionary<string, string> extensions) =>
        extensions.Count == 0
            ? null
            : JsonSerializer.Serialize(new SortedDictionary<string, string>(extensions.ToDictionary(), StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, string> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? None : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? (IReadOnlyDictionary<string, string>)None;
}
