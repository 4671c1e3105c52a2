using System.Text.Json;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Reads the few fields we use from a verified event body. Stripe: <c>id</c>, <c>type</c>, <c>data.object</c> (an
/// invoice with our metadata). Razorpay: <c>event</c>, <c>payload.invoice.entity</c> (with our notes) or
/// <c>payload.payment.entity.invoice_id</c>; its event id comes from the <c>x-razorpay-event-id</c> header.
/// Payment and refund events also give their amounts (<see cref="WebhookAmounts"/>): Stripe invoice <c>amount_paid</c> /
/// <c>amount_remaining</c> and charge <c>amount_refunded</c> (charge.refunded); Razorpay invoice <c>amount_paid</c> /
/// <c>amount_due</c> (invoice.paid, invoice.partially_paid) and payment <c>amount_refunded</c> or refund <c>amount</c>
/// (refund.processed).
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
            var objectType = data.TryGetProperty("object", out var o) ? o.GetString() : null;
            var isInvoice = objectType == "invoice";
            var occurred = Unix(root, "created");
            if (objectType == "charge")
            {
                // charge.refunded: the charge names its invoice (and may carry our metadata); amount_refunded is its running total.
                return new WebhookEvent(tenant, provider, root.GetProperty("id").GetString() ?? throw new InvalidOperationException("event without id"),
                    type, StripeKind(type), Text(data, "invoice"), Note(data, "metadata"), now, false, rawBody)
                {
                    Amounts = new WebhookAmounts(Text(data, "currency"), null, null, Minor(data, "amount_refunded"), null, occurred),
                };
            }
            return new WebhookEvent(tenant, provider, root.GetProperty("id").GetString() ?? throw new InvalidOperationException("event without id"),
                type, StripeKind(type), isInvoice ? data.GetProperty("id").GetString() : null, isInvoice ? Note(data, "metadata") : null, now, false, rawBody)
            {
                Amounts = isInvoice && Minor(data, "amount_paid") is { } paid
                    ? new WebhookAmounts(Text(data, "currency"), paid, Minor(data, "amount_remaining"), null, null, occurred)
                    : null,
            };
        }

        var razorpayType = root.GetProperty("event").GetString() ?? "";
        var payload = root.GetProperty("payload");
        string? invoiceId = null, engineId = null;
        WebhookAmounts? amounts = null;
        var occurredAt = Unix(root, "created_at");
        var hasPayment = payload.TryGetProperty("payment", out var payment) && payment.TryGetProperty("entity", out _);
        if (payload.TryGetProperty("invoice", out var invoice))
        {
            var entity = invoice.GetProperty("entity");
            invoiceId = entity.GetProperty("id").GetString();
            engineId = Note(entity, "notes");
            if (Minor(entity, "amount_paid") is { } paid)
                amounts = new WebhookAmounts(Text(entity, "currency"), paid, Minor(entity, "amount_due"), null, null, occurredAt);
        }
        else if (hasPayment && payment.GetProperty("entity").TryGetProperty("invoice_id", out var paidInvoice))
        {
            invoiceId = paidInvoice.ValueKind == JsonValueKind.String ? paidInvoice.GetString() : null;
        }
        if (RazorpayKind(razorpayType) == WebhookEventKind.Refunded)
        {
            var refund = payload.TryGetProperty("refund", out var r) && r.TryGetProperty("entity", out var re) ? re : default;
            var paymentEntity = hasPayment ? payment.GetProperty("entity") : default;
            amounts = new WebhookAmounts(
                (paymentEntity.ValueKind == JsonValueKind.Object ? Text(paymentEntity, "currency") : null) ?? (refund.ValueKind == JsonValueKind.Object ? Text(refund, "currency") : null),
                null, null,
                paymentEntity.ValueKind == JsonValueKind.Object ? Minor(paymentEntity, "amount_refunded") : null,
                refund.ValueKind == JsonValueKind.Object ? Minor(refund, "amount") : null,
                occurredAt);
            if (paymentEntity.ValueKind == JsonValueKind.Object && engineId is null) engineId = Note(paymentEntity, "notes");
        }
        var eventId = string.IsNullOrEmpty(headerEventId) ? throw new InvalidOperationException("missing x-razorpay-event-id header") : headerEventId;
        return new WebhookEvent(tenant, provider, eventId, razorpayType, RazorpayKind(razorpayType), invoiceId, engineId, now, false, rawBody)
        {
            Amounts = amounts,
        };
    }

    private static string? Text(JsonElement entity, string property) =>
        entity.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Minor(JsonElement entity, string property) =>
        entity.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var minor) ? minor : null;

    private static DateTimeOffset? Unix(JsonElement entity, string property) =>
        Minor(entity, property) is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static string? Note(JsonElement entity, string property) =>
        entity.TryGetProperty(property, out var notes) && notes.ValueKind == JsonValueKind.Object
        && notes.TryGetProperty("engine_invoice_id", out var id) ? id.GetString() : null;

    private static WebhookEventKind StripeKind(string type) => type switch
    {
        "invoice.paid" => WebhookEventKind.Paid,
        "invoice.payment_failed" => WebhookEventKind.PaymentFailed,
        "invoice.voided" => WebhookEventKind.Voided,
        "charge.refunded" => WebhookEventKind.Refunded,
        _ => WebhookEventKind.Ignored,
    };

    // invoice.cancelled is not confirmed in Razorpay's published list; payment.failed carries the invoice_id.
    private static WebhookEventKind RazorpayKind(string type) => type switch
    {
        "invoice.paid" or "invoice.partially_paid" => WebhookEventKind.Paid,
        "payment.failed" => WebhookEventKind.PaymentFailed,
        "refund.processed" => WebhookEventKind.Refunded,
        "invoice.cancelled" or "invoice.expired" => WebhookEventKind.Voided,
        _ => WebhookEventKind.Ignored,
    };
}
