using System.Runtime.CompilerServices;
using RulesBilling.Engine.Storage.Postgres;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Storage;

/// <summary>The outcome state store of a billing store: same backend, same file or database, same transactions.</summary>
internal static class OutcomeStateStores
{
    private static readonly ConditionalWeakTable<IBillingStore, IOutcomeStateStore> Opened = new();

    /// <summary>Null for a backend that has no outcome state (callers fall back to full detection).</summary>
    public static IOutcomeStateStore? For(IBillingStore store) =>
        store switch
        {
            InMemoryBillingStore or LiteDbBillingStore or PostgresBillingStore => Opened.GetValue(store, Open),
            _ => null,
        };

    private static IOutcomeStateStore Open(IBillingStore store) => store switch
    {
        InMemoryBillingStore memory => new InMemoryOutcomeStateStore(memory),
        LiteDbBillingStore lite => new LiteDbOutcomeStateStore(lite),
        PostgresBillingStore postgres => new PostgresOutcomeStateStore(postgres),
        _ => throw new ArgumentOutOfRangeException(nameof(store)),
    };
}
