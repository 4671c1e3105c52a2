using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Credits;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Entitlements;

/// <summary>
/// Prepaid balances: what is left of the grants, and what the open period's invoice would take from them. The open
/// period's activity as of the instant (<see cref="CustomerActivity.InPeriod"/>) is drafted with its billable
/// outcomes, then also with those still in their validation window, and each subtotal is run through the credit
/// consumption order; with thresholds, each subtotal is netted by the period's threshold invoices, as the period's
/// invoice is.
/// </summary>
internal static class BalanceCalculator
{
    /// <param name="issued">The customer's issued documents: what a fixed <c>once</c> coupon has left after earlier periods (§9.14.1).</param>
    public static CustomerBalance Compute(
        string tenant, CustomerActivity activity, IReadOnlyList<CreditGrant> grants, IReadOnlyList<CreditLedgerEntry> ledger, DateTimeOffset at,
        IReadOnlyList<ContractAssignment>? assignments = null, Func<IReadOnlyList<Invoice>>? issued = null)
    {
        var customer = activity.Customer;
        var balances = CreditApplier.Balances(grants, ledger)
            .Where(b => b.Grant.ExpiresAt is null || b.Grant.ExpiresAt > at)
            .ToList();
        var period = ContractResolver.PeriodAt(activity.Rules.Contracts, customer, at, assignments);
        var errors = new List<string>();
        var (billed, withPending) = period is null ? (0m, 0m) : Subtotals(tenant, activity, period, at, issued, errors);

        var currencies = balances.Select(b => b.Grant.Currency)
            .Concat(period is null ? [] : period.Segments.Select(s => s.Version.Currency))
            .Distinct()
            .Order(StringComparer.Ordinal);
        var result = new List<PrepaidBalance>();
        foreach (var currency in currencies)
        {
            var granted = balances.Where(b => b.Grant.Currency == currency).Sum(b => b.Balance);
            var open = period is not null && period.Segments[0].Version.Currency == currency;
            var usable = open ? CreditApplier.ConsumptionOrder(balances, currency, period!.Period.To)
                .Sum(b => CreditApplier.Spendable(b, currency)) : 0m;
            var committed = open ? Math.Min(usable, Math.Max(billed, 0m)) : 0m;
            var pending = open ? Math.Min(usable, Math.Max(withPending, 0m)) - committed : 0m;
            pending = Math.Max(pending, 0m);
            result.Add(new PrepaidBalance(currency, granted, committed, pending, granted - committed, granted - committed - pending));
        }
        return new CustomerBalance(customer, at, result, errors);
    }

    /// <summary>The open period's subtotal without and with the pending outcomes; zero with an error when rating fails.</summary>
    private static (decimal Billed, decimal WithPending) Subtotals(
        string tenant, CustomerActivity activity, ContractPeriod period, DateTimeOffset at, Func<IReadOnlyList<Invoice>>? issued, List<string> errors)
    {
        var now = activity.InPeriod(period, at);
        var billable = Only(now, (s, o) => o.State == OutcomeState.Billable ? o : null);
        // A pending outcome billed after this period would take credit from the next invoice; it is counted in the last segment.
        var pending = now.Outcomes.Where(o => o.State == OutcomeState.Pending).ToList();
        var withPending = Only(now, (s, o) => o.State switch
        {
            OutcomeState.Billable => o,
            OutcomeState.Pending when o.BillableAt < period.Period.To => o with { State = OutcomeState.Billable },
            _ => null,
        }, [.. pending.Where(o => o.BillableAt >= period.Period.To).Select(o => o with { State = OutcomeState.Billable, BillableAt = period.Period.To.AddTicks(-1) })]);
        try
        {
            var known = issued is null ? null : new Lazy<IReadOnlyList<Invoice>>(issued);
            Func<IReadOnlyList<Invoice>>? earlier = known is null ? null : () => known.Value;
            // The period's threshold invoices took their credits when issued, and its invoice nets them (§10.9): only
            // what that invoice still bills is committed, or their usage would be counted against the grants twice.
            var thresholds = known is null || ThresholdBilling.Schedule(period) is null ? [] : ThresholdBilling.Of(known.Value, period);
            decimal Subtotal(PeriodActivity draft)
            {
                var invoice = PeriodRater.Draft(tenant, activity.Rules, draft, earlier);
                return thresholds.Count == 0 ? invoice.Subtotal : ThresholdBilling.Net(new RatedPeriod(period, invoice, []), thresholds).Draft!.Subtotal;
            }
            var billed = Subtotal(billable);
            var all = pending.Count == 0 ? billed : Subtotal(withPending);
            return (billed, all);
        }
        catch (Exception ex) when (ex is RuleEvaluationException or BillingException)
        {
            errors.Add(ex.Message);
            return (0m, 0m);
        }
    }

    /// <summary>The activity with each segment's outcomes mapped (null drops one), no exclusions, and <paramref name="lastExtra"/> added to the last segment.</summary>
    private static PeriodActivity Only(PeriodActivity activity, Func<SegmentActivity, OutcomeInstance, OutcomeInstance?> keep, IReadOnlyList<OutcomeInstance>? lastExtra = null) =>
        activity with
        {
            Segments = activity.Segments.Select((s, i) => s with
            {
                Outcomes = [.. s.Outcomes.Select(o => keep(s, o)).OfType<OutcomeInstance>(), .. i == activity.Segments.Count - 1 ? lastExtra ?? [] : []],
                Excluded = [],
            }).ToList(),
        };
}
