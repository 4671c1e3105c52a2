using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage.Postgres;

namespace RulesBilling.Engine.Storage;

/// <summary>The outcome state store of a billing store: same backend, same file or database, same transactions.</summary>
internal static class OutcomeStateStores
{
    private static readonly SiblingStores<IOutcomeStateStore> Opened = new(
        memory => new InMemoryOutcomeStateStore(memory), lite => new LiteDbOutcomeStateStore(lite), postgres => new PostgresOutcomeStateStore(postgres));

    /// <summary>Null for a backend that has no outcome state (callers fall back to full detection).</summary>
    public static IOutcomeStateStore? For(IBillingStore store) => Opened.For(store);
}
