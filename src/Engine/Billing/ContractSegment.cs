using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// The part of a billing period one contract version governs. <see cref="Fraction"/> = segment length / period
/// length (exact ticks ratio): base fee, minimum and cap are prorated by it.
/// </summary>
public sealed record ContractSegment(ContractVersion Version, BillingPeriodRange Range, decimal Fraction);
