using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>
/// The JSON form of an invoice kept in invoices.document (jsonb). Decimals are written as JSON numbers with their
/// exact digits and read back with decimal.Parse, so the value and the scale survive (1.10 stays 1.10; jsonb keeps
/// numeric scale too). Instants are written as UTC round-trip text with all seven fractional digits, so the stored
/// instant is exact and comes back in UTC, as the other backends return it. Enums are names, readable in SQL.
/// </summary>
internal static class InvoiceDocument
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new ExactDecimal(), new UtcInstant(), new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitEmptyExclusions } },
    };

    /// <summary>
    /// Invoice-level exclusions are written only when there are any, and a threshold invoice's crossing only on threshold
    /// invoices, and taxes (on invoices and lines) only when there are any, so other documents keep their bytes.
    /// </summary>
    private static void OmitEmptyExclusions(JsonTypeInfo info)
    {
        if (info.Type == typeof(InvoiceLine))
        {
            foreach (var property in info.Properties.Where(p => p.Name == "taxes"))
                property.ShouldSerialize = (_, value) => value is IReadOnlyList<LineTax> { Count: > 0 };
        }
        if (info.Type != typeof(Invoice)) return;
        foreach (var property in info.Properties.Where(p => p.Name == "excluded"))
            property.ShouldSerialize = (_, value) => value is IReadOnlyList<InvoiceExclusion> { Count: > 0 };
        foreach (var property in info.Properties.Where(p => p.Name == "threshold"))
            property.ShouldSerialize = (_, value) => value is not null;
        foreach (var property in info.Properties.Where(p => p.Name == "taxes"))
            property.ShouldSerialize = (_, value) => value is IReadOnlyList<InvoiceTax> { Count: > 0 };
    }

    public static string Write(Invoice invoice) => JsonSerializer.Serialize(invoice, Options);

    public static Invoice Read(string json) =>
        JsonSerializer.Deserialize<Invoice>(json, Options) ?? throw new InvalidOperationException("an invoice document is null");

    private sealed class ExactDecimal : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            decimal.Parse(reader.ValueSpan, NumberStyles.Number, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }

    private sealed class UtcInstant : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
    }
}
