namespace RulesBilling.Engine.Costs;

/// <summary>Cost of one customer in a range for one outcome (null: costs attributed to no outcome), in one currency.</summary>
public sealed record CostTotal(string Customer, string? Outcome, string Currency, decimal Amount, int Events);
