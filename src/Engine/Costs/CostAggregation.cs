using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Costs;

/// <summary>Cost totals ordered by (customer, outcome, currency) and the cost events that could not be evaluated.</summary>
internal sealed record CostAggregation(IReadOnlyList<CostTotal> Totals, IReadOnlyList<RatingError> Errors);
