using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Billing.BillingDocuments;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// The use case of threshold invoices in an open period (docs/dsl-spec.md §10.9): issuing the documents a customer's
/// running amount owes, by a call or by the background check. Every call is tenant-scoped and takes "now" from the
/// injected <see cref="TimeProvider"/>. Failures the caller can act on are <see cref="BillingException"/>s.
/// </summary>
public sealed class ThresholdInvoicing
{
    private readonly IBillingStore _store;
    private readonly CustomerRating _rating;
    private readonly TimeProvider _time;
    private readonly IFinalizationListener? _listener;

    /// <param name="rules">Gives the tenant's rule set in force now (it may be reloaded between calls).</param>
    /// <param name="listener">
    /// Told of each finalization, void and hold inside its transaction (the payments and notifications outboxes,
    /// combined by <see cref="CompositeFinalizationListener"/>).
    /// </param>
    /// <param name="assignments">
    /// Gives the explicit contract assignments of (tenant, customer); they win over the rule files' customer lists
    /// (see <see cref="ContractAssignment"/>). None when omitted.
    /// </param>
    public ThresholdInvoicing(
        IBillingStore store, IRuleSetSource rules, TimeProvider time, IFinalizationListener? listener = null,
        IContractAssignmentSource? assignments = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _rating = new CustomerRating(store, rules, assignments);
        _time = time;
        _listener = listener;
    }

    /// <summary>
    /// Issues the threshold invoices the open period containing <paramref name="at"/> (default: now) owes for the usage
    /// billable until now (docs/dsl-spec.md §10.9): each finalized, numbered and announced like any invoice, credits
    /// applied. Idempotent: a threshold is billed at most once per period, also by concurrent calls on several nodes
    /// (the period's lock, then a re-check of the period's threshold invoices). Returns the documents issued by this call.
    /// </summary>
    /// <exception cref="BillingException">No contract, or rating errors (listed) at an instant the check had to read.</exception>
    public IReadOnlyList<Invoice> IssueThresholdInvoices(string tenant, string customer, DateTimeOffset? at = null)
    {
        RequireNames(tenant, customer);
        var rules = _rating.RulesOf(tenant);
        var now = _time.GetUtcNow();
        return IssueThresholds(tenant, customer, rules, _rating.PeriodAt(tenant, rules, customer, at ?? now), now);
    }

    /// <summary>
    /// The background threshold check (docs/dsl-spec.md §10.9.3): <see cref="IssueThresholdInvoices"/> for the period
    /// open now, and the next instant at which its running amount can move without a new event (an outcome's validation
    /// window closing, a segment or the next period starting on total), so the caller can check again then. Nothing for
    /// a customer without a contract now or whose contract has no thresholds.
    /// </summary>
    /// <exception cref="BillingException">Rating errors at an instant the check had to read.</exception>
    public ThresholdCheck CheckThresholds(string tenant, string customer)
    {
        RequireNames(tenant, customer);
        var rules = _rating.RulesOf(tenant);
        var now = _time.GetUtcNow();
        // A customer without a contract now has no thresholds: nothing to check, and nothing wrong.
        if (_rating.PeriodIfAny(tenant, rules, customer, now) is not { } period
            || ThresholdBilling.Schedule(period) is null) return ThresholdCheck.None;
        var activity = _rating.Activity(tenant, customer, rules);
        return new ThresholdCheck(IssueThresholds(tenant, customer, rules, period, now, activity), ThresholdBilling.NextMove(activity, period, now));
    }

    internal IReadOnlyList<Invoice> IssueThresholds(
        string tenant, string customer, CompiledRuleSet rules, ContractPeriod period, DateTimeOffset now, CustomerActivity? activity = null)
    {
        if (ThresholdBilling.Schedule(period) is null) return [];
        var issued = ThresholdBilling.Of(_store.ListInvoices(tenant, customer), period);
        var plan = ThresholdBilling.Plan(tenant, activity ?? _rating.Activity(tenant, customer, rules), period, issued, now, _rating.Issued(tenant, customer));
        if (plan.Errors.Count > 0)
        {
            throw new BillingException(
                $"cannot check the thresholds of {customer} {Show(period.Period)}: {plan.Errors.Count} rating error(s)\n" + string.Join("\n", plan.Errors), plan.Errors);
        }
        if (plan.Drafts.Count == 0) return [];

        return _store.InTransaction(tx =>
        {
            // Under the period's lock: another call that issued meanwhile (or closed the period) wins, and this one issues nothing.
            (tx as IPeriodCloseLock)?.LockPeriod(tenant, customer, period.Contract, period.Period.From);
            var invoices = tx.ListInvoices(tenant, customer);
            if (CurrentInvoice(tx, tenant, customer, period) is { Status: InvoiceStatus.Finalized }) return (IReadOnlyList<Invoice>)[];
            if (!ThresholdBilling.Of(invoices, period).Select(i => i.Id).SequenceEqual(issued.Select(i => i.Id), StringComparer.Ordinal)) return [];
            var documents = new List<Invoice>();
            foreach (var draft in plan.Drafts)
            {
                var balances = CreditApplier.Balances(tx.ListGrants(tenant, customer), tx.ReadLedger(tenant, customer));
                var credited = CreditApplier.ApplyTo(draft, balances, now);
                var invoice = credited.Invoice with { Number = Number(tx.NextInvoiceNumber(tenant)), Status = InvoiceStatus.Finalized, IssuedAt = now };
                tx.SaveInvoice(invoice);
                foreach (var entry in credited.LedgerEntries) tx.AppendLedger(entry);
                _listener?.Finalized(tx, invoice);
                documents.Add(invoice);
            }
            return documents;
        });
    }

    /// <summary>A threshold invoice issued (or voided) after the period's invoice was rated would be billed twice (or never): refuse, the caller retries.</summary>
    internal static void RequireNetted(IBillingStore tx, string tenant, string customer, ContractPeriod period, Invoice draft)
    {
        var live = ThresholdBilling.Of(tx.ListInvoices(tenant, customer), period).Where(i => i.Status != InvoiceStatus.Void).Sum(ThresholdBilling.Billed);
        var netted = -draft.Lines.Where(l => l.Kind == LineKind.ThresholdCredit).Sum(l => l.Amount);
        if (live != netted)
        {
            throw new BillingException($"the threshold invoices of {customer} {Show(period.Period)} changed while its invoice was rated; finalize again");
        }
    }
}
