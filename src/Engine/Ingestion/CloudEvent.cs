using System.Text.Json;

namespace RulesBilling.Engine.Ingestion;

/// <summary>A CloudEvents 1.0 envelope as received (structured JSON mode). <c>subject</c> is the customer id.</summary>
public sealed record CloudEvent(
    string Id,
    string Source,
    string Type,
    string Subject,
    DateTimeOffset Time,
    string SpecVersion,
    JsonElement? Data)
{
    /// <summary>The data as bound against the schema of <see cref="Type"/> at validation; what the store keeps typed.</summary>
    public TypedFields? Fields { get; init; }

    /// <summary>The extension attributes (every top-level attribute the spec does not define), as text by name.</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; init; } = EventExtensions.None;
}
