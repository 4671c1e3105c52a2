namespace RulesBilling.Engine.Payments;

/// <summary>
/// A verified provider event in the inbox, stored once per (tenant, provider, event id) and applied in the
/// background. <see cref="Kind"/> is what it means for the invoice; other event types are stored and ignored.
/// </summary>
public sealed record WebhookEvent(
    string Tenant, PaymentProvider Provider, string EventId, string Type, WebhookEventKind Kind,
    string? ProviderInvoiceId, string? EngineInvoiceId, DateTimeOffset ReceivedAt, bool Applied, string RawBody)
{
    /// <summary>The money this event reports, in the provider's minor units; null when it carries none.</summary>
    public WebhookAmounts? Amounts { get; init; }
}

/// <summary>
/// Amounts a payment or refund event carries, in provider minor units of <see cref="Currency"/> (lower-case at Stripe).
/// <see cref="Paid"/> and <see cref="Refunded"/> are the provider's running totals for the invoice (Stripe
/// <c>amount_paid</c> / charge <c>amount_refunded</c>, Razorpay <c>amount_paid</c> / payment <c>amount_refunded</c>),
/// so applying them is order-insensitive; <see cref="Refund"/> is one refund's amount when no running total is given.
/// </summary>
public sealed record WebhookAmounts(string? Currency, long? Paid, long? Remaining, long? Refunded, long? Refund, DateTimeOffset? OccurredAt);

public enum WebhookEventKind { Ignored, Paid, PaymentFailed, Voided, Refunded }
