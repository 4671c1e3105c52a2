using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Costs;

/// <summary>Cost totals ordered by (customer, outcome, currency) and the cost events that could not be evaluated.</summary>
internal sealed record CostAggregation(IReadOnlyList<CostTotal> Totals, IReadOnlyList<RatingError> Errors)
{
    /// <summary>Σ cost of a customer in a currency, for one outcome or (null) for all costs.</summary>
    public decimal Total(string customer, string currency, string? outcome) => Totals
        .Where(t => t.Customer == customer && t.Currency == currency && (outcome is null || t.Outcome == outcome))
        .Sum(t => t.Amount);
}
