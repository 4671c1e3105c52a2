namespace RulesBilling.Engine.Storage;

/// <summary>
/// Implemented by a store that several processes share (PostgreSQL). <see cref="Billing.InvoiceLifecycle.Finalize"/> (and the threshold invoicing) calls it
/// first inside its transaction, so concurrent closes of one (tenant, customer, contract, period) on several nodes
/// take turns: the second waits for the first to commit, then finds the period finalized and returns that invoice
/// without drawing a number. A single-process store does not need it (its transactions already run one at a time).
/// </summary>
public interface IPeriodCloseLock
{
    /// <summary>Blocks until no other transaction closes this period; held until the current transaction ends.</summary>
    void LockPeriod(string tenant, string customer, string contract, DateTimeOffset periodFrom);
}
