namespace RulesBilling.Engine.Payments;

public enum PaymentState { Sent, Paid, PaymentFailed, Voided }

/// <summary>What the provider last told us about an invoice (from the sync and from webhooks).</summary>
public sealed record InvoicePaymentState(
    string Tenant, string InvoiceId, PaymentProvider Provider, string ProviderInvoiceId, PaymentState State,
    DateTimeOffset UpdatedAt, string? LastEventId);
