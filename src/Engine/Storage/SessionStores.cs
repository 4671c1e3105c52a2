using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Storage;

/// <summary>What <see cref="IStoreSession.Find{TStore}"/> answers on the three backends.</summary>
internal static class SessionStores
{
    /// <summary>
    /// The billing aggregates are the store itself; the outcome state is the backend's sibling store in the same file
    /// or database, sharing its transactions.
    /// </summary>
    public static TStore? Find<TStore>(IBillingStore store) where TStore : class =>
        typeof(TStore) == typeof(IOutcomeStateStore) ? (TStore?)OutcomeStateStores.For(store) : store as TStore;
}
