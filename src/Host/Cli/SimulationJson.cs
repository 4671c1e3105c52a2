using System.Text.Json;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Host.Cli;

/// <summary>
/// <c>simulate --format json</c>: exactly one JSON document on stdout, amounts as decimal strings, in a fixed
/// property order so the same inputs print the same bytes.
/// </summary>
internal static class SimulationJson
{
    public static void Write(TextWriter output, SimulationResult result) => WriteDocument(output, writer =>
    {
        writer.WriteStartArray("invoices");
        foreach (var invoice in result.Invoices)
        {
            InvoiceJson.Write(writer, invoice);
            // An invoice lists every event it counted: print each as it is written rather than hold the document.
            writer.Flush();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("guards");
        foreach (var guard in result.Guards)
        {
            writer.WriteStartObject();
            writer.WriteString("customer", guard.Customer);
            writer.WriteString("contract", guard.Contract);
            InvoiceJson.WriteRange(writer, "period", guard.PeriodFrom, guard.PeriodTo);
            InvoiceJson.WriteGuardFields(writer, guard.Finding);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("rejected");
        foreach (var rejected in result.Rejected)
        {
            if (writer.BytesPending > FlushAt) writer.Flush();
            writer.WriteStartObject();
            if (rejected.Line is { } line) writer.WriteNumber("line", line);
            else writer.WriteNull("line");
            if (rejected.Column is { } column) writer.WriteNumber("column", column);
            writer.WriteString("source", rejected.Source);
            writer.WriteString("id", rejected.Id);
            writer.WriteString("reason", rejected.Reason);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("errors");
        foreach (var error in result.Errors) InvoiceJson.WriteRatingError(writer, error);
        writer.WriteEndArray();

        writer.WriteStartArray("unbilled");
        foreach (var unbilled in result.Unbilled)
        {
            if (writer.BytesPending > FlushAt) writer.Flush();
            writer.WriteStartObject();
            writer.WriteString("customer", unbilled.Customer);
            writer.WriteString("event", unbilled.EventId);
            writer.WriteString("type", unbilled.Type);
            writer.WriteString("time", UtcTimestamp.Format(unbilled.Time));
            writer.WriteString("reason", unbilled.Reason);
            writer.WriteString("detail", unbilled.Detail);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });

    private const int FlushAt = 1 << 16;

    private static void WriteDocument(TextWriter output, Action<Utf8JsonWriter> body)
    {
        using var stream = new TextWriterStream(output);
        using (var writer = new Utf8JsonWriter(stream, InvoiceJson.Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        output.Write('\n');
    }
}
