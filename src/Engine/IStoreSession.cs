namespace RulesBilling.Engine;

/// <summary>
/// The unit of work: the stores of one backend that commit together. Outside a transaction each write commits on
/// its own; the session that <see cref="InTransaction{T}"/> hands to its work is that transaction's, and everything
/// written through its stores commits or rolls back at once (events and outcome state, an invoice with its ledger
/// entries, outbox rows and notifications).
/// <para>
/// The engine's root cannot name the stores its concepts own (that would tie every concept to every other), so a
/// concept's store is asked for by its interface with <see cref="Find{TStore}"/>, and each concept gives it a name:
/// <c>session.Invoices()</c>, <c>session.Credits()</c>, <c>session.Payments()</c>, <c>session.Notifications()</c>,
/// <c>session.OutcomeState()</c>.
/// </para>
/// </summary>
public interface IStoreSession
{
    IEventStore Events { get; }

    IRejectionStore Rejections { get; }

    /// <summary>This session's store of the aggregate <typeparamref name="TStore"/>, or null when the backend keeps none.</summary>
    TStore? Find<TStore>() where TStore : class;

    /// <summary>
    /// Runs <paramref name="work"/> as one transaction; an exception rolls everything back and propagates.
    /// <paramref name="work"/> must run synchronously on the calling thread; a nested call joins the outer
    /// transaction. Other threads do not see its writes before it commits.
    /// </summary>
    T InTransaction<T>(Func<IStoreSession, T> work);
}
