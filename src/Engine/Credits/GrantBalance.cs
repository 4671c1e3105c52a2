namespace RulesBilling.Engine.Credits;

/// <summary>A grant and what is left of it.</summary>
public sealed record GrantBalance(CreditGrant Grant, decimal Balance);
