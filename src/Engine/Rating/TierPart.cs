namespace RulesBilling.Engine.Rating;

/// <summary>The part of a tiered charge that fell into one tier.</summary>
public sealed record TierPart(decimal From, decimal? UpTo, decimal Quantity, decimal UnitPrice, decimal Amount);
