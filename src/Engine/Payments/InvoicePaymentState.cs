namespace RulesBilling.Engine.Payments;

public enum PaymentState { Sent, Paid, PaymentFailed, Voided, PartiallyPaid, Refunded, PartiallyRefunded }

/// <summary>What the provider last told us about an invoice (from the sync and from webhooks).</summary>
public sealed record InvoicePaymentState(
    string Tenant, string InvoiceId, PaymentProvider Provider, string ProviderInvoiceId, PaymentState State,
    DateTimeOffset UpdatedAt, string? LastEventId)
{
    /// <summary>Money received for the invoice so far, in its currency (the provider's cumulative figure).</summary>
    public decimal AmountPaid { get; init; }

    /// <summary>Money given back so far, in the invoice's currency (the provider's cumulative figure).</summary>
    public decimal AmountRefunded { get; init; }

    /// <summary>Each change of <see cref="AmountPaid"/> or <see cref="AmountRefunded"/>, oldest first: what the journal posts as cash.</summary>
    public IReadOnlyList<PaymentMovement> Movements { get; init; } = [];
}

public enum PaymentMovementKind { Payment, Refund }

/// <summary>
/// Money that moved for an invoice at the provider, as one webhook event reported it: a payment received or a refund
/// given, with the provider event that carried it (so a movement traces back to its event and is applied once).
/// </summary>
public sealed record PaymentMovement(PaymentMovementKind Kind, decimal Amount, string Currency, DateTimeOffset At, string ProviderEventId);
