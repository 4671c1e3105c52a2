namespace RulesBilling.Engine.Billing;

/// <summary>One billing period of one contract for a customer, split into segments at version changes (in time order).</summary>
public sealed record ContractPeriod(string Contract, BillingPeriodRange Period, IReadOnlyList<ContractSegment> Segments);
