using System.Globalization;
using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Notifications;

/// <summary>Notification ids (derived from what happened) and payloads (JSON objects, amounts as decimal strings).</summary>
internal static class NotificationData
{
    public static string Id(string tenant, params string[] parts) => DeterministicId.For("ntf", [tenant, .. parts]);

    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Money with at least the currency's minor digits ("15.00" USD), as the API shows it; finer estimates keep their digits.</summary>
    public static string Money(decimal value, string currency) => CurrencyMath.FormatPrice(value, currency);

    public static string Object(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// invoiceId, number, kind (invoice, credit-note, adjustment), corrects (the corrected invoice's id, or null), currency,
    /// total (at the currency's minor units, as the invoice API shows it), periodFrom, periodTo; and for a void document
    /// voidedAt and voidReason.
    /// </summary>
    public static void WriteInvoice(Utf8JsonWriter w, Invoice invoice)
    {
        w.WriteString("invoiceId", invoice.Id);
        if (invoice.Number is null) w.WriteNull("number");
        else w.WriteString("number", invoice.Number);
        w.WriteString("kind", InvoiceNames.Of(invoice.Kind));
        if (invoice.Corrects is null) w.WriteNull("corrects");
        else w.WriteString("corrects", invoice.Corrects);
        w.WriteString("currency", invoice.Currency);
        w.WriteString("total", CurrencyMath.Format(invoice.Total, invoice.Currency));
        w.WriteString("periodFrom", UtcTimestamp.Format(invoice.PeriodFrom));
        w.WriteString("periodTo", UtcTimestamp.Format(invoice.PeriodTo));
        if (invoice.Status == InvoiceStatus.Void)
        {
            if (invoice.VoidedAt is { } voidedAt) w.WriteString("voidedAt", UtcTimestamp.Format(voidedAt));
            else w.WriteNull("voidedAt");
            if (invoice.VoidReason is null) w.WriteNull("voidReason");
            else w.WriteString("voidReason", invoice.VoidReason);
        }
    }
}
