using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using RulesBilling.Host.Api.Features.Invoices;

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

    /// <summary>The preview, its long event lists summarised (<see cref="PreviewEventLists"/>; <paramref name="at"/> goes into their drill-down links).</summary>
    public static IResult Preview(PreviewResult preview, DateTimeOffset? at) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("invoices");
        foreach (var invoice in preview.Invoices)
        {
            InvoiceJson.Write(writer, PreviewEventLists.Shown(invoice), (w, line) => PreviewEventLists.WriteSummary(w, invoice, line, at));
        }
        writer.WriteEndArray();
        writer.WriteStartArray("errors");
        foreach (var error in preview.Errors) InvoiceJson.WriteRatingError(writer, error);
        writer.WriteEndArray();
        WriteIssued(writer, preview.Issued, preview.Invoices.FirstOrDefault()?.Customer);
        writer.WriteEndObject();
    }, StatusCodes.Status200OK);

    /// <summary>
    /// "issued": the invoice already issued for the previewed period (null when none), so a client never takes the
    /// draft of a closed period for the bill; with the corrections a corrections run would issue now.
    /// </summary>
    private static void WriteIssued(Utf8JsonWriter writer, IssuedInvoice? issued, string? customer)
    {
        if (issued is null)
        {
            writer.WriteNull("issued");
            return;
        }
        var c = issued.Currency;
        writer.WriteStartObject("issued");
        writer.WriteString("id", issued.Id);
        writer.WriteString("number", issued.Number);
        writer.WriteString("status", InvoiceNames.Of(issued.Status));
        writer.WriteString("currency", c);
        writer.WriteString("total", CurrencyMath.Format(issued.Total, c));
        writer.WriteStartArray("corrections");
        foreach (var correction in issued.Corrections) writer.WriteStringValue(correction);
        writer.WriteEndArray();
        writer.WriteBoolean("correctionPending", issued.PendingCorrections.Count > 0);
        writer.WriteStartArray("pendingCorrections");
        foreach (var pending in issued.PendingCorrections)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", InvoiceNames.Of(pending.Kind));
            writer.WriteString("total", CurrencyMath.Format(pending.Total, c));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteString("message", Message(issued, customer));
        writer.WriteEndObject();
    }

    private static string Message(IssuedInvoice issued, string? customer)
    {
        var name = issued.Number ?? issued.Id;
        var c = issued.Currency;
        if (issued.Status == InvoiceStatus.Held)
        {
            return $"this period's invoice {name} is held by a guard; release it (POST /v1/invoices/{issued.Id}/release) and finalize to issue it";
        }
        var head = $"this period is already invoiced as {name} ({CurrencyMath.Format(issued.Total, c)} {c}); the draft is a re-rating with the current events";
        if (issued.PendingCorrections.Count == 0) return head + ": the invoice stands, no correction is pending";
        var documents = string.Join(" and ", issued.PendingCorrections.Select(p =>
            $"{(p.Kind == InvoiceKind.CreditNote ? "a credit note" : "an adjustment")} of {CurrencyMath.Format(p.Total, c)} {c}"));
        return $"{head}: {documents} would be pending; POST /v1/customers/{customer ?? "{id}"}/corrections issues {(issued.PendingCorrections.Count == 1 ? "it" : "them")}";
    }

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
