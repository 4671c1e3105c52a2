using System.Globalization;
using System.Text.Json;
using System.Xml;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Runtime;

/// <summary>
/// Validates a CloudEvent's <c>data</c> against the declared schema of its type and produces the typed
/// <see cref="RuleEvent"/>. Every failure is a readable reason; nothing is coerced silently.
/// </summary>
public static class EventBinder
{
    private static readonly decimal MaxDurationSeconds = (decimal)TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerSecond;

    /// <summary>Binds <paramref name="data"/>; returns null and a reason when it does not match the schema.</summary>
    public static RuleEvent? TryBind(
        EventSchema schema, string id, string source, string subject, DateTimeOffset time, JsonElement? data, out string? error)
    {
        var slots = new object?[schema.Fields.Count];
        if (data is { ValueKind: not JsonValueKind.Object } && data.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            error = $"data must be a JSON object for event type '{schema.Name}', not {Describe(data.Value.ValueKind)}";
            return null;
        }

        foreach (var field in schema.Fields)
        {
            JsonElement value = default;
            var present = data is { ValueKind: JsonValueKind.Object } obj
                && obj.TryGetProperty(field.Name, out value)
                && value.ValueKind != JsonValueKind.Null;
            if (!present)
            {
                if (field.Optional) continue;
                error = $"required field '{field.Name}' ({Describe(field)}) is missing";
                return null;
            }

            if (!TryConvert(field, value, out var converted, out error)) return null;
            slots[field.Slot] = converted;
        }

        error = null;
        return new RuleEvent(id, source, schema.Name, subject, time.ToUniversalTime(), slots);
    }

    private static bool TryConvert(FieldSchema field, JsonElement value, out object? result, out string? error)
    {
        result = null;
        error = null;
        switch (field.Type)
        {
            case FieldType.String when value.ValueKind == JsonValueKind.String:
                result = value.GetString()!;
                return true;
            case FieldType.Bool when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                result = value.GetBoolean();
                return true;
            case FieldType.Decimal or FieldType.Money or FieldType.Integer:
                if (!TryDecimal(field, value, out var number, out error)) return false;
                if (field.Type == FieldType.Integer && decimal.Truncate(number) != number)
                {
                    error = $"field '{field.Name}' must be an integer, got {number.ToString(CultureInfo.InvariantCulture)}";
                    return false;
                }
                result = number;
                return true;
            case FieldType.Timestamp when value.ValueKind == JsonValueKind.String:
                var text = value.GetString()!;
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var ts)
                    && text.Contains('T'))
                {
                    result = ts.ToUniversalTime();
                    return true;
                }
                error = $"field '{field.Name}' must be an RFC 3339 timestamp, got \"{text}\"";
                return false;
            case FieldType.Duration:
                // Seconds beyond TimeSpan's range are refused like any other bad value, not thrown as an overflow.
                if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var seconds)
                    && seconds >= 0 && seconds <= MaxDurationSeconds)
                {
                    result = TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
                    return true;
                }
                if (value.ValueKind == JsonValueKind.String)
                {
                    try
                    {
                        result = XmlConvert.ToTimeSpan(value.GetString()!);
                        return true;
                    }
                    catch (Exception ex) when (ex is FormatException or OverflowException)
                    {
                    }
                }
                error = $"field '{field.Name}' must be a duration (seconds as a number, or ISO 8601 such as \"PT30S\"), got {Show(value)}";
                return false;
            default:
                error = $"field '{field.Name}' must be {Describe(field)}, got {Show(value)}";
                return false;
        }
    }

    private static bool TryDecimal(FieldSchema field, JsonElement value, out decimal number, out string? error)
    {
        error = null;
        number = 0m;
        var element = value;
        if (field.Type == FieldType.Money && value.ValueKind == JsonValueKind.Object)
        {
            // {"amount": "1.25", "currency": "USD"}: the currency must be the declared one.
            if (!value.TryGetProperty("amount", out element) || !value.TryGetProperty("currency", out var currency))
            {
                error = $"field '{field.Name}' as an object needs \"amount\" and \"currency\"";
                return false;
            }
            if (currency.ValueKind != JsonValueKind.String || currency.GetString() != field.Currency)
            {
                error = $"field '{field.Name}' must be in {field.Currency}, got {Show(currency)}";
                return false;
            }
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Number when element.TryGetDecimal(out number):
                return true;
            case JsonValueKind.String when decimal.TryParse(element.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number):
                return true;
            default:
                error = $"field '{field.Name}' must be {Describe(field)}, got {Show(element)}";
                return false;
        }
    }

    private static string Describe(FieldSchema field) => field.Type switch
    {
        FieldType.String => "a string",
        FieldType.Decimal => "a decimal number",
        FieldType.Integer => "an integer",
        FieldType.Bool => "true or false",
        FieldType.Timestamp => "an RFC 3339 timestamp",
        FieldType.Duration => "a duration",
        FieldType.Money => $"an amount in {field.Currency}",
        _ => field.Type.ToString(),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Show(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length > 40 ? raw[..40] + "…" : raw;
    }
}
