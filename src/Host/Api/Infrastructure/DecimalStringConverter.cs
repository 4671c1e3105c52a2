using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Money and quantities travel as decimal strings ("12.50") so that no JSON client turns them into binary
/// floating point. Reading accepts a string or a JSON number, both parsed as decimal with the invariant culture.
/// </summary>
internal sealed class DecimalStringConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var number)) return number;
        if (reader.TokenType == JsonTokenType.String
            && decimal.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }
        throw new JsonException("expected a decimal number or a decimal string such as \"12.50\"");
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
}
