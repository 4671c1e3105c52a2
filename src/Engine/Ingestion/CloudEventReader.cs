using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Runtime;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Ingestion;

/// <summary>
/// Validates one CloudEvents 1.0 structured-mode event: the envelope (specversion "1.0"; id, source, type and
/// subject non-empty strings; time an RFC 3339 timestamp with an offset) and then its <c>data</c> (or <c>data_base64</c>,
/// decoded, when it holds JSON) against the schema the rule set declares for its type.
/// </summary>
internal static partial class CloudEventReader
{
    public static readonly JsonDocumentOptions JsonOptions = new() { AllowDuplicateProperties = false };

    private static readonly string[] RequiredStrings = ["id", "source", "type", "subject"];

    /// <summary>The validated event, or the first reason it is invalid; the identity attributes are echoed either way when present.</summary>
    public sealed record Reading(CloudEvent? Event, string? Source, string? Id, string? Type, string? Error);

    public static Reading Read(JsonElement element, CompiledRuleSet rules)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new Reading(null, null, null, null, $"a CloudEvent must be a JSON object, not {Describe(element.ValueKind)}");
        }

        var source = OptionalString(element, "source");
        var id = OptionalString(element, "id");
        var type = OptionalString(element, "type");
        Reading Reject(string error) => new(null, source, id, type, error);

        if (RequireString(element, "specversion", out var specVersion) is { } specError) return Reject(specError);
        if (specVersion != "1.0") return Reject($"unsupported specversion '{specVersion}'; expected '1.0'");
        foreach (var name in RequiredStrings)
        {
            if (RequireString(element, name, out _) is { } error) return Reject(error);
        }
        if (RequireString(element, "time", out var timeText) is { } timeError) return Reject(timeError);
        if (!TryParseRfc3339(timeText, out var time))
        {
            return Reject($"attribute 'time' must be an RFC 3339 timestamp such as \"2026-01-31T12:00:00Z\", got \"{timeText}\"");
        }
        if (element.TryGetProperty("datacontenttype", out var contentType) && !IsJson(contentType))
        {
            return Reject($"datacontenttype {contentType.GetRawText()} is not supported; 'data' must be JSON (application/json)");
        }
        JsonElement? data = element.TryGetProperty("data", out var d) ? d : null;
        if (element.TryGetProperty("data_base64", out var encoded))
        {
            // The JSON event format: a receiver MUST decode data_base64. Our data is JSON, so the bytes must be JSON too.
            if (data is not null) return Reject("an event may carry 'data' or 'data_base64', not both");
            if (DecodeBase64Json(encoded, out var error) is not { } decoded) return Reject(error!);
            data = decoded;
        }
        if (!rules.Events.TryGetValue(type!, out var schema)) return Reject($"unknown event type '{type}'");

        if (ReadExtensions(element, out var extensionError) is not { } extensions) return Reject(extensionError!);
        var subject = OptionalString(element, "subject")!;
        if (EventBinder.TryBind(schema, id!, source!, subject, time, data, out var bindError) is not { } bound)
        {
            return Reject(bindError ?? $"data does not match event type '{type}'");
        }

        // The bound values are kept (typed, by name) so no read has to parse and convert the JSON again.
        var cloudEvent = new CloudEvent(id!, source!, type!, subject, time, specVersion, data) { Fields = TypedFields.Encode(schema, bound), Extensions = extensions };
        return new Reading(cloudEvent, source, id, type, null);
    }

    private static readonly HashSet<string> SpecAttributes =
        ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "data", "data_base64"];

    /// <summary>
    /// Every attribute the spec does not define is an extension (CloudEvents 1.0: a string, integer or boolean); kept as
    /// text so a rule compares it the same whichever mode carried it (binary mode has only header strings). Null is
    /// the same as absent; an object or array is not an attribute value and is refused rather than dropped.
    /// </summary>
    private static IReadOnlyDictionary<string, string>? ReadExtensions(JsonElement element, out string? error)
    {
        error = null;
        Dictionary<string, string>? extensions = null;
        foreach (var property in element.EnumerateObject())
        {
            if (SpecAttributes.Contains(property.Name)) continue;
            string? text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (property.Value.ValueKind == JsonValueKind.Null) continue;
            if (text is null)
            {
                error = $"extension attribute '{property.Name}' must be a string, integer or boolean, not {Describe(property.Value.ValueKind)}";
                return null;
            }
            (extensions ??= new Dictionary<string, string>(StringComparer.Ordinal))[property.Name] = text;
        }
        return extensions ?? EventExtensions.None;
    }

    private static JsonElement? DecodeBase64Json(JsonElement encoded, out string? error)
    {
        error = null;
        if (encoded.ValueKind != JsonValueKind.String)
        {
            error = $"attribute 'data_base64' must be a base64 string, not {Describe(encoded.ValueKind)}";
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(encoded.GetString()!);
        }
        catch (FormatException)
        {
            error = "attribute 'data_base64' is not valid base64";
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes, JsonOptions);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            error = $"'data_base64' must decode to JSON (datacontenttype application/json): {JsonErrorText.Reason(e)}";
            return null;
        }
    }

    private static string? RequireString(JsonElement element, string name, out string value)
    {
        value = "";
        if (!element.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return $"missing required attribute '{name}'";
        }
        if (property.ValueKind != JsonValueKind.String)
        {
            return $"attribute '{name}' must be a string, not {Describe(property.ValueKind)}";
        }
        value = property.GetString()!;
        return value.Length == 0 ? $"attribute '{name}' must not be empty" : null;
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static bool TryParseRfc3339(string text, out DateTimeOffset time)
    {
        time = default;
        // DateTimeOffset.TryParse alone accepts far more than RFC 3339 (no offset, local time, "1/2/2026").
        var match = Rfc3339().Match(text);
        if (!match.Success) return false;
        // RFC 3339 allows any number of fraction digits (Go sends 9); .NET keeps 7 (100 ns ticks), so the rest is truncated.
        var fraction = match.Groups["fraction"].Value;
        var normalized = match.Groups["datetime"].Value.ToUpperInvariant()
            + (fraction.Length > 0 ? "." + fraction[..Math.Min(fraction.Length, 7)] : "")
            + match.Groups["offset"].Value.ToUpperInvariant();
        if (!DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return false;
        time = parsed.ToUniversalTime();
        return true;
    }

    private static bool IsJson(JsonElement contentType)
    {
        if (contentType.ValueKind != JsonValueKind.String) return false;
        var mediaType = contentType.GetString()!.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    [GeneratedRegex(
        @"^(?<datetime>[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2})(\.(?<fraction>[0-9]+))?(?<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
