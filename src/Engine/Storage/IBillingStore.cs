using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// An opened backend (LiteDB file, PostgreSQL database, memory): the façade the Host and the use cases that touch
/// several aggregates hold. It is its own autocommit <see cref="IStoreSession"/> and implements the billing
/// aggregates' stores directly; the other concepts' stores (payments, notifications, outcome state) come from
/// <see cref="IStoreSession.Find{TStore}"/>. Rating never sees the backend, only these interfaces.
/// </summary>
public interface IBillingStore : IStoreSession, IEventStore, IRejectionStore, IInvoiceStore, ICreditStore, IDisposable
{
    /// <summary>
    /// <see cref="IStoreSession.InTransaction{T}"/> for work that needs the billing aggregates together: finalizing
    /// an invoice, consuming credits and writing ledger entries either all commit or none.
    /// </summary>
    T InTransaction<T>(Func<IBillingStore, T> work);

    IEventStore IStoreSession.Events => this;

    IRejectionStore IStoreSession.Rejections => this;

    TStore? IStoreSession.Find<TStore>() where TStore : class => SessionStores.Find<TStore>(this);

    T IStoreSession.InTransaction<T>(Func<IStoreSession, T> work) => InTransaction<T>(work);
}
