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

    /// <summary>Value equality including the movements (a stored and a re-read state are equal), as for the other fields.</summary>
    public bool Equals(InvoicePaymentState? other) =>
        other is not null
        && (Tenant, InvoiceId, Provider, ProviderInvoiceId, State, UpdatedAt, LastEventId, AmountPaid, AmountRefunded)
        == (other.Tenant, other.InvoiceId, other.Provider, other.ProviderInvoiceId, other.State, other.UpdatedAt, other.LastEventId, other.AmountPaid, other.AmountRefunded)
        && Movements.SequenceEqual(other.Movements);

    public override int GetHashCode() => HashCode.Combine(Tenant, InvoiceId, State, UpdatedAt, AmountPaid, AmountRefunded, Movements.Count);
}

public enum PaymentMovementKind { Payment, Refund }

/// <summary>
/// Money that moved for an invoice at the provider, as one webhook event reported it: a payment received or a refund
/// given, with the provider event that carried it (so a movement traces back to its event and is applied once).
/// </summary>
public sealed record PaymentMovement(PaymentMovementKind Kind, decimal Amount, string Currency, DateTimeOffset At, string ProviderEventId);
