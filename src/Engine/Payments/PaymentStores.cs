namespace RulesBilling.Engine.Payments;

public static class PaymentStores
{
    /// <summary>The session's payment store: the outbox rows written through it commit with the session's transaction.</summary>
    public static IPaymentStore Payments(this IStoreSession session) =>
        session.Find<IPaymentStore>() ?? throw new InvalidOperationException("this store keeps no payments");
}
