using System.Text.Json;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Reads the few fields we use from a verified event body. Stripe: <c>id</c>, <c>type</c>, <c>data.object</c> (an
/// invoice with our metadata). Razorpay: <c>event</c>, <c>payload.invoice.entity</c> (with our notes) or
/// <c>payload.payment.entity.invoice_id</c>; its event id comes from the <c>x-razorpay-event-id</c> header.
/// </summary>
internal static class WebhookPayload
{
    public static WebhookEvent Parse(string tenant, PaymentProvider provider, string rawBody, string? headerEventId, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(rawBody);
        var root = document.RootElement;
        if (provider == PaymentProvider.Stripe)
        {
            var type = root.GetProperty("type").GetString() ?? "";
            var data = root.GetProperty("data").GetProperty("object");
            var isInvoice = data.TryGetProperty("object", out var o) && o.GetString() == "invoice";
            return new WebhookEvent(tenant, provider, root.GetProperty("id").GetString() ?? throw new InvalidOperationException("event without id"),
                type, StripeKind(type), isInvoice ? data.GetProperty("id").GetString() : null, isInvoice ? Note(data, "metadata") : null, now, false, rawBody);
        }

        var razorpayType = root.GetProperty("event").GetString() ?? "";
        var payload = root.GetProperty("payload");
        string? invoiceId = null, engineId = null;
        if (payload.TryGetProperty("invoice", out var invoice))
        {
            var entity = invoice.GetProperty("entity");
            invoiceId = entity.GetProperty("id").GetString();
            engineId = Note(entity, "notes");
        }
        else if (payload.TryGetProperty("payment", out var payment) && payment.GetProperty("entity").TryGetProperty("invoice_id", out var paid))
        {
            invoiceId = paid.ValueKind == JsonValueKind.String ? paid.GetString() : null;
        }
        var eventId = string.IsNullOrEmpty(headerEventId) ? throw new InvalidOperationException("missing x-razorpay-event-id header") : headerEventId;
        return new WebhookEvent(tenant, provider, eventId, razorpayType, RazorpayKind(razorpayType), invoiceId, engineId, now, false, rawBody);
    }

    private static string? Note(JsonElement entity, string property) =>
        entity.TryGetProperty(property, out var notes) && notes.ValueKind == JsonValueKind.Object
        && notes.TryGetProperty("engine_invoice_id", out var id) ? id.GetString() : null;

    private static WebhookEventKind StripeKind(string type) => type switch
    {
        "invoice.paid" => WebhookEventKind.Paid,
        "invoice.payment_failed" => WebhookEventKind.PaymentFailed,
        "invoice.voided" => WebhookEventKind.Voided,
        _ => WebhookEventKind.Ignored,
    };

    // invoice.cancelled is not confirmed in Razorpay's published list; payment.failed carries the invoice_id.
    private static WebhookEventKind RazorpayKind(string type) => type switch
    {
        "invoice.paid" => WebhookEventKind.Paid,
        "payment.failed" => WebhookEventKind.PaymentFailed,
        "invoice.cancelled" or "invoice.expired" => WebhookEventKind.Voided,
        _ => WebhookEventKind.Ignored,
    };
}
