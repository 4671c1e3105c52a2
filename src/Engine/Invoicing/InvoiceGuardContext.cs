using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// What a guard reads, over the whole invoice (every segment): revenue = the charge lines (after charge caps) per
/// outcome, cost = the cost aggregates of the period, count = number of billable outcomes on the invoice. Cost in
/// another currency than the invoice is refused (RB0401) when a guard actually reads it.
/// </summary>
internal sealed class InvoiceGuardContext(
    IReadOnlyDictionary<string, decimal> revenueByOutcome,
    IReadOnlyList<OutcomeInstance> billable,
    IReadOnlyList<SegmentCost> costs,
    string currency,
    GuardRule guard) : GuardContext
{
    public override decimal Revenue(string? outcome) =>
        outcome is null ? revenueByOutcome.Values.Sum() : revenueByOutcome.GetValueOrDefault(outcome);

    public override decimal Cost(string? outcome)
    {
        var selected = costs.Where(c => outcome is null || c.Outcome == outcome).ToList();
        if (selected.FirstOrDefault(c => c.Currency != currency) is { } foreign)
            throw new RuleEvaluationException(DiagnosticCatalogue.GuardCostCurrency.Code,
                $"guard '{guard.Name}' reads cost in {foreign.Currency} but the invoice currency is {currency}", guard.Location);
        return selected.Sum(c => c.Amount);
    }

    public override decimal Count(string? outcome) =>
        billable.Count(o => outcome is null || o.Outcome == outcome);

    /// <summary>True when every cost can be read in the invoice currency (so the explanation can show cost and margin).</summary>
    public bool CostReadable => costs.All(c => c.Currency == currency);
}
