using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage.Postgres;

namespace RulesBilling.Engine.Storage;

/// <summary>What <see cref="IStoreSession.Find{TStore}"/> answers on the three backends.</summary>
internal static class SessionStores
{
    private static readonly SiblingStores<IPaymentStore> Payments = new(
        memory => new InMemoryPaymentStore(memory), lite => new LiteDbPaymentStore(lite), postgres => new PostgresPaymentStore(postgres));

    /// <summary>
    /// The billing aggregates are the store itself; the outcome state and the payments are the backend's sibling
    /// stores in the same file or database (one each per opened store), sharing its transactions.
    /// </summary>
    public static TStore? Find<TStore>(IBillingStore store) where TStore : class =>
        typeof(TStore) == typeof(IOutcomeStateStore) ? (TStore?)OutcomeStateStores.For(store)
        : typeof(TStore) == typeof(IPaymentStore) ? (TStore?)Payments.For(store)
        : store as TStore;
}
