namespace RulesBilling.Engine.Payments;

/// <summary>
/// Told by <see cref="WebhookApplier"/> of each payment state a provider event sets, before the state is saved:
/// a crash in between applies the event again, so the listener must be idempotent (the notifications outbox is,
/// by notification id).
/// </summary>
public interface IPaymentStateListener
{
    void Applying(InvoicePaymentState state, WebhookEvent providerEvent);
}
