namespace RulesBilling.Engine.Credits;

public static class CreditStores
{
    /// <summary>The session's credit store; every backend keeps one.</summary>
    public static ICreditStore Credits(this IStoreSession session) =>
        session.Find<ICreditStore>() ?? throw new InvalidOperationException("this store keeps no credits");
}
