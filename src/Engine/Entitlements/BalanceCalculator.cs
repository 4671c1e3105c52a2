using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Entitlements;

/// <summary>
/// Prepaid balances: what is left of the grants, and what the open period's invoice would take from them. The open
/// period is drafted twice from the customer's activity — with the outcomes billable at the instant, then also with
/// those still in their validation window — and each subtotal is run through the credit consumption order.
/// </summary>
internal static class BalanceCalculator
{
    public static CustomerBalance Compute(
        string tenant, CompiledRuleSet rules, DetectedActivity activity, string customer,
        IReadOnlyList<CreditGrant> grants, IReadOnlyList<CreditLedgerEntry> ledger, DateTimeOffset at,
        IReadOnlyList<ContractAssignment>? assignments = null)
    {
        var balances = CreditApplier.Balances(grants, ledger)
            .Where(b => b.Grant.ExpiresAt is null || b.Grant.ExpiresAt > at)
            .ToList();
        var period = ContractResolver.PeriodAt(rules.Contracts, customer, at, assignments);
        var errors = new List<string>();
        var (billed, withPending) = period is null ? (0m, 0m) : Subtotals(tenant, rules, activity, customer, period, at, errors);

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
        string tenant, CompiledRuleSet rules, DetectedActivity activity, string customer, ContractPeriod period, DateTimeOffset at, List<string> errors)
    {
        var mine = activity.Detection.Outcomes.Where(o => o.Customer == customer && o.State == OutcomeState.Billable).ToList();
        var billable = mine.Where(o => !DetectedActivity.IsPending(rules, o, at) && period.Period.Contains(o.BillableAt)).ToList();
        // A pending outcome billed after this period would take credit from the next invoice; it is counted in the last segment.
        var pending = mine.Where(o => DetectedActivity.IsPending(rules, o, at) && o.BillableAt >= period.Period.From)
            .Select(o => period.Period.Contains(o.BillableAt) ? o : o with { BillableAt = period.Period.To.AddTicks(-1) })
            .ToList();
        try
        {
            var billed = Draft(tenant, rules, activity, customer, period, billable).Subtotal;
            var all = pending.Count == 0 ? billed : Draft(tenant, rules, activity, customer, period, [.. billable, .. pending]).Subtotal;
            return (billed, all);
        }
        catch (Exception ex) when (ex is RuleEvaluationException or BillingException)
        {
            errors.Add(ex.Message);
            return (0m, 0m);
        }
    }

    private static Invoice Draft(
        string tenant, CompiledRuleSet rules, DetectedActivity activity, string customer, ContractPeriod period, IReadOnlyList<OutcomeInstance> outcomes)
    {
        var segments = new List<InvoiceSegment>();
        foreach (var segment in period.Segments)
        {
            segments.Add(new InvoiceSegment(segment.Version, PeriodRater.PlanOf(rules, segment.Version), segment.Range.From, segment.Range.To,
                outcomes.Where(o => segment.Range.Contains(o.BillableAt)).ToList(), [],
                PeriodRater.CostsOf(rules, activity.Events, segment.Range, customer)));
        }
        var currency = period.Segments[0].Version.Currency;
        return InvoiceAssembler.Assemble(new InvoiceRequest(tenant, customer, period.Contract, currency, period.Period.From, period.Period.To, segments, rules.Hash));
    }
}
