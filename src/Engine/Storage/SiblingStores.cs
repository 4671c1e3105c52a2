using System.Runtime.CompilerServices;
using RulesBilling.Engine.Storage.Postgres;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// One sibling store (outcome state, payments) per opened billing store of the three backends: opened on first use
/// over the same file, database or snapshots, so it shares the billing store's transactions, and kept as long as it.
/// </summary>
internal sealed class SiblingStores<TStore> where TStore : class
{
    private readonly ConditionalWeakTable<IBillingStore, TStore> _opened = new();
    private readonly ConditionalWeakTable<IBillingStore, TStore>.CreateValueCallback _open;

    public SiblingStores(Func<InMemoryBillingStore, TStore> memory, Func<LiteDbBillingStore, TStore> lite, Func<PostgresBillingStore, TStore> postgres) =>
        _open = store => store switch
        {
            InMemoryBillingStore m => memory(m),
            LiteDbBillingStore l => lite(l),
            PostgresBillingStore p => postgres(p),
            _ => throw new ArgumentOutOfRangeException(nameof(store)),
        };

    /// <summary>Null for a backend that keeps no such store.</summary>
    public TStore? For(IBillingStore store) =>
        store is InMemoryBillingStore or LiteDbBillingStore or PostgresBillingStore ? _opened.GetValue(store, _open) : null;
}
