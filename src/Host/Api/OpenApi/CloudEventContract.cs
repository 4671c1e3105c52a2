using System.Text.Json;
using System.Text.Json.Serialization;

namespace RulesBilling.Host.Api.OpenApi;

/// <summary>
/// One CloudEvents 1.0 event in structured mode (the JSON event format). Describes the body of POST /v1/events to the
/// OpenAPI generator; the server reads it with CloudEventReader. Extension attributes (lower-case a-z0-9 names, such as
/// traceparent) may stand beside these; they are stored with the event and rules read them as event.ext.NAME.
/// </summary>
internal sealed record CloudEventContract(
    [property: JsonPropertyName("specversion")] string SpecVersion,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("time")] DateTimeOffset Time)
{
    /// <summary>application/json (or any +json type) when present.</summary>
    [JsonPropertyName("datacontenttype")]
    public string? DataContentType { get; init; }

    [JsonPropertyName("dataschema")]
    public string? DataSchema { get; init; }

    /// <summary>The payload, validated against the event type declared in the rule set.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    /// <summary>The JSON payload base64-encoded (instead of data); decoded before validation.</summary>
    [JsonPropertyName("data_base64")]
    public string? DataBase64 { get; init; }
}
