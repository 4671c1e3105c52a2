namespace RulesBilling.Engine.Claims;

/// <summary>
/// Leases on units of work that several nodes could otherwise do twice: closing a customer's period, syncing one
/// outbox record, delivering one webhook. A claim is identified by (kind, key), e.g. ("finalize",
/// "tenant/customer/2026-03"), and is held by one owner (a node id) until its lease runs out.
/// <para>
/// Intended use (period close): <c>if (claims.TryClaim("finalize", key, node, lease))</c> then, inside
/// <see cref="IStoreSession.InTransaction{T}"/>, call <see cref="Holds"/> first (it fences: a node whose lease
/// lapsed while it was slow sees false and writes nothing), re-check the invoice's status (another node may have
/// finished it under an earlier claim), finalize, commit, then <see cref="Release"/>. Work longer than the lease
/// renews it by calling <see cref="TryClaim"/> again with the same owner. A node that dies stops renewing; after
/// the lease another node's <see cref="TryClaim"/> succeeds and redoes the work, which is safe because the
/// finalizing transaction is atomic and checks the status first.
/// </para>
/// </summary>
public interface IWorkClaims
{
    /// <summary>
    /// Takes the claim if it is free or expired, or renews it if <paramref name="owner"/> already holds it; true
    /// when <paramref name="owner"/> holds it for <paramref name="lease"/> from now. Commits on its own, even
    /// when called inside a transaction of the store, so other nodes see the claim at once.
    /// </summary>
    bool TryClaim(string kind, string key, string owner, TimeSpan lease);

    /// <summary>
    /// True when <paramref name="owner"/> holds an unexpired claim. Inside a store transaction it also locks the
    /// claim until that transaction ends, so it cannot be taken over between this check and the commit.
    /// </summary>
    bool Holds(string kind, string key, string owner);

    /// <summary>Gives the claim up if <paramref name="owner"/> holds it; otherwise does nothing.</summary>
    void Release(string kind, string key, string owner);
}
