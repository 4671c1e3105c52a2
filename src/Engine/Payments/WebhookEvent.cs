namespace RulesBilling.Engine.Payments;

/// <summary>
/// A verified provider event in the inbox, stored once per (tenant, provider, event id) and applied in the
/// background. <see cref="Kind"/> is what it means for the invoice; other event types are stored and ignored.
/// </summary>
public sealed record WebhookEvent(
    string Tenant, PaymentProvider Provider, string EventId, string Type, WebhookEventKind Kind,
    string? ProviderInvoiceId, string? EngineInvoiceId, DateTimeOffset ReceivedAt, bool Applied, string RawBody);

public enum WebhookEventKind { Ignored, Paid, PaymentFailed, Voided }
