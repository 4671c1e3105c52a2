using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Invoices leave the API in the engine's deterministic invoice JSON (the same bytes as <c>simulate --format json</c>),
/// so an invoice reads the same however it is obtained.
/// </summary>
internal static class InvoiceResults
{
    public static IResult One(Invoice invoice, int status = StatusCodes.Status200OK) =>
        Results.Text(InvoiceJson.Serialize(invoice), RequestBody.Json, Encoding.UTF8, status);

    public static IResult Many(IEnumerable<Invoice> invoices, int status = StatusCodes.Status200OK) =>
        Write(writer => WriteArray(writer, invoices), status);

    public static IResult Preview(PreviewResult preview) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WritePropertyName("invoices");
        WriteArray(writer, preview.Invoices);
        writer.WriteStartArray("errors");
        foreach (var error in preview.Errors) InvoiceJson.WriteRatingError(writer, error);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }, StatusCodes.Status200OK);

    private static void WriteArray(Utf8JsonWriter writer, IEnumerable<Invoice> invoices)
    {
        writer.WriteStartArray();
        foreach (var invoice in invoices) InvoiceJson.Write(writer, invoice);
        writer.WriteEndArray();
    }

    private static IResult Write(Action<Utf8JsonWriter> write, int status)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, InvoiceJson.Options)) write(writer);
        return Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), RequestBody.Json, Encoding.UTF8, status);
    }
}
