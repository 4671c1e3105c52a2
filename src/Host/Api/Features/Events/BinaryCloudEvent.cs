using System.Text;
using System.Text.Json;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Events;

/// <summary>
/// The CloudEvents HTTP binding's binary content mode: the attributes arrive as <c>ce-*</c> headers (percent-encoded
/// strings), the body is the event's data and Content-Type its datacontenttype. It is turned into the structured event
/// it stands for, so one reader validates all three modes and a rejected event is kept in the form it would have had.
/// </summary>
internal static class BinaryCloudEvent
{
    public const string Prefix = "ce-";

    public static bool Applies(HttpRequest request) => request.Headers.ContainsKey(Prefix + "specversion");

    public static async Task<string> ReadAsStructuredAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken);

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, values) in request.Headers
                .Where(h => h.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
                .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            {
                var attribute = name[Prefix.Length..].ToLowerInvariant();
                if (attribute is "data" or "data_base64" or "datacontenttype") continue;
                writer.WriteString(attribute, Uri.UnescapeDataString(values.ToString()));
            }
            if (request.ContentType is { Length: > 0 } contentType) writer.WriteString("datacontenttype", contentType);
            if (body.Trim().Length > 0)
            {
                writer.WritePropertyName("data");
                if (IsJson(body)) writer.WriteRawValue(body);
                // Not JSON: kept as text, so the reader rejects it with the datacontenttype reason and it can be replayed.
                else writer.WriteStringValue(body);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static bool IsJson(string body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
