using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>
/// The plumbing of the per-aggregate store contracts (<see cref="EventStoreContract{TBackend}"/>,
/// <see cref="RejectionStoreContract{TBackend}"/>, <see cref="InvoiceStoreContract{TBackend}"/>,
/// <see cref="CreditStoreContract{TBackend}"/>, <see cref="StoreSessionContract{TBackend}"/>): each backend runs
/// every contract through a one-line subclass naming its <see cref="IStoreBackend"/>, which says how to open a fresh
/// store and how to reopen it (for LiteDB: dispose and open the same file again).
/// </summary>
public abstract class StoreContract<TBackend> : IDisposable where TBackend : IStoreBackend, new()
{
    private IBillingStore? _store;

    protected TBackend Backend { get; } = new();

    protected IBillingStore Store => _store ??= Backend.Open();

    /// <summary>The same store after a restart; the old instance must not be used afterwards.</summary>
    protected void Reopen() => _store = Backend.Reopen(Store);

    public virtual void Dispose()
    {
        _store?.Dispose();
        Backend.Dispose();
        GC.SuppressFinalize(this);
    }
}
