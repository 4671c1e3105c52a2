using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// Deterministic invoice JSON (the shape of <c>simulate --format json</c>): written by hand in a fixed property
/// order; amounts as strings with exactly the currency's minor digits, unit prices with at least those digits,
/// quantities as normalized invariant strings, timestamps ISO 8601 UTC with 'Z'; absent values are explicit nulls.
/// Same invoice → byte-identical output.
/// </summary>
public static class InvoiceJson
{
    /// <summary>Indented, '\n' line ends, no HTML escaping (the output is data, never embedded in markup).</summary>
    public static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(Invoice invoice) => Encoding.UTF8.GetString(SerializeToUtf8Bytes(invoice));

    public static byte[] SerializeToUtf8Bytes(Invoice invoice)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
            Write(writer, invoice);
        return buffer.ToArray();
    }

    /// <summary>Writes one invoice object, e.g. as an element of a caller's array.</summary>
    public static void Write(Utf8JsonWriter writer, Invoice invoice) => Write(writer, invoice, null);

    /// <summary>
    /// Writes one invoice object; <paramref name="lineExtension"/> appends properties to each line object (the API's
    /// preview summarises long event lists this way). Without it the bytes are those of every stored invoice.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, Invoice invoice, Action<Utf8JsonWriter, InvoiceLine>? lineExtension)
    {
        var currency = invoice.Currency;
        writer.WriteStartObject();
        writer.WriteString("customer", invoice.Customer);
        writer.WriteString("contract", invoice.Contract);
        if (invoice.Versions.Count == 0) writer.WriteNull("version");
        else writer.WriteNumber("version", invoice.Versions.Max());
        writer.WriteStartArray("versions");
        foreach (var version in invoice.Versions.Order()) writer.WriteNumberValue(version);
        writer.WriteEndArray();
        writer.WriteString("currency", currency);
        WriteRange(writer, "period", invoice.PeriodFrom, invoice.PeriodTo);
        writer.WriteString("status", InvoiceNames.Of(invoice.Status));
        if (invoice.Status == InvoiceStatus.Void)
        {
            // Only void documents carry these, so every other invoice keeps its bytes.
            if (invoice.VoidedAt is { } voidedAt) writer.WriteString("voidedAt", UtcTimestamp.Format(voidedAt));
            else writer.WriteNull("voidedAt");
            if (invoice.VoidReason is null) writer.WriteNull("voidReason");
            else writer.WriteString("voidReason", invoice.VoidReason);
        }

        writer.WriteStartArray("lines");
        foreach (var line in invoice.Lines) WriteLine(writer, line, currency, lineExtension);
        writer.WriteEndArray();
        if (invoice.Excluded.Count > 0)
        {
            // Only invoices with exclusions outside every line carry this, so every other invoice keeps its bytes.
            writer.WriteStartArray("excluded");
            foreach (var excluded in invoice.Excluded)
            {
                writer.WriteStartObject();
                writer.WriteString("outcome", excluded.Outcome);
                writer.WriteString("id", excluded.Id);
                writer.WriteString("reason", excluded.Reason);
                WriteNullable(writer, "detail", excluded.Detail);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }

        writer.WriteStartArray("guards");
        foreach (var guard in invoice.Guards)
        {
            writer.WriteStartObject();
            WriteGuardFields(writer, guard);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        if (invoice.Taxes.Count > 0)
        {
            // Only taxed invoices carry this, so every other invoice keeps its bytes.
            writer.WriteStartArray("taxes");
            foreach (var tax in invoice.Taxes)
            {
                writer.WriteStartObject();
                writer.WriteString("tax", tax.Tax);
                writer.WriteString("label", tax.Label);
                writer.WriteString("rate", Rate(tax.Rate));
                writer.WriteString("mode", tax.Inclusive ? "inclusive" : "exclusive");
                WriteNullable(writer, "jurisdiction", tax.Jurisdiction);
                writer.WriteString("taxable", CurrencyMath.Format(tax.Taxable, currency));
                writer.WriteString("amount", CurrencyMath.Format(tax.Amount, currency));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }

        writer.WriteString("subtotal", CurrencyMath.Format(invoice.Subtotal, currency));
        writer.WriteString("credits", CurrencyMath.Format(invoice.CreditsApplied, currency));
        writer.WriteString("total", CurrencyMath.Format(invoice.Total, currency));
        writer.WriteStartArray("creditApplications");
        foreach (var credit in invoice.Credits)
        {
            writer.WriteStartObject();
            writer.WriteString("grant", credit.GrantId);
            writer.WriteString("amount", CurrencyMath.Format(credit.Amount, currency));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        WriteNullable(writer, "number", invoice.Number);
        writer.WriteString("kind", InvoiceNames.Of(invoice.Kind));
        WriteNullable(writer, "corrects", invoice.Corrects);
        if (invoice.Threshold is { } threshold)
        {
            // Only threshold invoices carry this, so every other invoice keeps its bytes.
            writer.WriteStartObject("threshold");
            writer.WriteNumber("index", threshold.Index);
            writer.WriteStartArray("amounts");
            foreach (var amount in threshold.Amounts) writer.WriteStringValue(CurrencyMath.Format(amount, currency));
            writer.WriteEndArray();
            writer.WriteString("crossedAt", UtcTimestamp.Format(threshold.CrossedAt));
            writer.WriteString("usageAmount", CurrencyMath.Format(threshold.UsageAmount, currency));
            writer.WriteEndObject();
        }
        writer.WriteString("id", invoice.Id);
        writer.WriteString("tenant", invoice.Tenant);
        writer.WriteString("ruleSetHash", invoice.RuleSetHash);
        writer.WriteEndObject();
    }

    private static void WriteLine(Utf8JsonWriter writer, InvoiceLine line, string currency, Action<Utf8JsonWriter, InvoiceLine>? extension)
    {
        writer.WriteStartObject();
        writer.WriteString("id", line.Id);
        writer.WriteString("kind", InvoiceNames.Of(line.Kind));
        writer.WriteString("description", line.Description);
        WriteNullable(writer, "explanation", line.Explanation);
        writer.WriteString("rule", line.Rule);
        writer.WriteString("contract", line.Contract);
        writer.WriteNumber("version", line.Version);
        writer.WriteString("ruleFileHash", line.RuleFileHash);
        WriteRange(writer, "segment", line.SegmentFrom, line.SegmentTo);
        writer.WriteString("quantity", Quantity(line.Quantity));
        WriteNullable(writer, "unitPrice", line.UnitPrice is { } price ? CurrencyMath.FormatPrice(price, currency) : null);
        writer.WriteString("amount", CurrencyMath.Format(line.Amount, currency));

        writer.WriteStartArray("tiers");
        foreach (var tier in line.Tiers)
        {
            writer.WriteStartObject();
            writer.WriteString("from", Quantity(tier.From));
            WriteNullable(writer, "upTo", tier.UpTo is { } upTo ? Quantity(upTo) : null);
            writer.WriteString("quantity", Quantity(tier.Quantity));
            writer.WriteString("unitPrice", CurrencyMath.FormatPrice(tier.UnitPrice, currency));
            writer.WriteString("amount", CurrencyMath.Format(tier.Amount, currency));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("breakdown");
        foreach (var step in line.Breakdown)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", step.Kind);
            writer.WriteString("text", step.Text);
            WriteNullable(writer, "quantity", step.Quantity is { } q ? Quantity(q) : null);
            WriteNullable(writer, "unitPrice", step.UnitPrice is { } p ? CurrencyMath.FormatPrice(p, currency) : null);
            // Exact: rounded half-up, the sum of the steps is the line amount.
            writer.WriteString("amount", CurrencyMath.FormatPrice(step.Amount, currency));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("events");
        foreach (var id in line.Events) writer.WriteStringValue(id);
        writer.WriteEndArray();

        writer.WriteStartArray("pending");
        foreach (var pending in line.Pending)
        {
            writer.WriteStartObject();
            writer.WriteString("id", pending.Id);
            writer.WriteString("billableAt", UtcTimestamp.Format(pending.BillableAt));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("excluded");
        foreach (var excluded in line.Excluded)
        {
            writer.WriteStartObject();
            writer.WriteString("id", excluded.Id);
            writer.WriteString("reason", excluded.Reason);
            WriteNullable(writer, "detail", excluded.Detail);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("attribution");
        foreach (var attribution in line.Attribution)
        {
            writer.WriteStartObject();
            writer.WriteString("dimension", attribution.Dimension);
            WriteNullable(writer, "value", attribution.Value);
            writer.WriteString("amount", CurrencyMath.Format(attribution.Amount, currency));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        if (line.Taxes.Count > 0)
        {
            // Only lines of taxed invoices carry this, so every other line keeps its bytes.
            writer.WriteStartArray("taxes");
            foreach (var tax in line.Taxes)
            {
                writer.WriteStartObject();
                writer.WriteString("tax", tax.Tax);
                writer.WriteString("amount", CurrencyMath.Format(tax.Amount, currency));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }

        WriteNullable(writer, "note", line.Note);
        extension?.Invoke(writer, line);
        writer.WriteEndObject();
    }

    /// <summary>A tax rate as written in the rules: "20%", "8.25%".</summary>
    public static string Rate(decimal rate) => CurrencyMath.Normalize(rate * 100m).ToString(CultureInfo.InvariantCulture) + "%";

    public static void WriteRange(Utf8JsonWriter writer, string name, DateTimeOffset from, DateTimeOffset to)
    {
        writer.WriteStartObject(name);
        writer.WriteString("from", UtcTimestamp.Format(from));
        writer.WriteString("to", UtcTimestamp.Format(to));
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    private static string Quantity(decimal value) => CurrencyMath.Normalize(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>The properties of a guard finding, inside an object the caller opened (shared by every JSON output).</summary>
    public static void WriteGuardFields(Utf8JsonWriter writer, GuardFinding guard)
    {
        writer.WriteString("guard", guard.Guard);
        WriteNullable(writer, "label", guard.Label);
        WriteNullable(writer, "description", guard.Description);
        writer.WriteString("condition", guard.Condition);
        writer.WriteString("action", guard.Action);
        writer.WriteBoolean("triggered", guard.Triggered);
        writer.WriteString("detail", guard.Detail);
    }

    /// <summary>A rating error as one JSON object: the customer, the event, the rule, the code and the rendered message.</summary>
    public static void WriteRatingError(Utf8JsonWriter writer, RatingError error)
    {
        writer.WriteStartObject();
        writer.WriteString("customer", error.Customer);
        writer.WriteString("event", error.EventId);
        writer.WriteString("rule", error.Rule);
        writer.WriteString("code", error.Code);
        writer.WriteString("message", error.Message);
        writer.WriteEndObject();
    }
}
