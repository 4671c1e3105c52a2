namespace RulesBilling.Engine.Payments;

/// <summary>How the sync worker reacts to a failure.</summary>
public enum FailureKind
{
    /// <summary>Network error, timeout, 409, 429 or 5xx: retried with backoff, then dead-lettered.</summary>
    Transient,
    /// <summary>Validation (400), authentication (401/403), idempotency_error, lossy money: stops for a human.</summary>
    Permanent,
    /// <summary>The provider's total differs from ours: stops and alerts; the invoice is never finalized there.</summary>
    Mismatch,
    /// <summary>
    /// Not yet possible, and nothing failed: a credit note whose original has not reached the provider, or a Razorpay
    /// credit whose invoice is not paid yet. The record stays pending and is tried again after <see cref="SyncWorker.DeferDelay"/>.
    /// </summary>
    Deferred,
}

/// <summary>A payment-provider failure with a readable message and how to react to it.</summary>
public sealed class PaymentException(string message, FailureKind kind, Exception? inner = null) : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;
}
