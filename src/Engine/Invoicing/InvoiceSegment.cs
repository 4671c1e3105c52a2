using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// A part [From, To) of a billing period rated under one contract version and its pricing plan.
/// <see cref="Outcomes"/> are the customer's outcomes whose BillableAt falls in the segment (outcomes in another
/// state are reported as exclusions); <see cref="Excluded"/> are the events excluded for it, shown on the charge
/// lines of their outcome; <see cref="Costs"/> are the cost aggregates (events in [From, To)) the plan's guards read.
/// </summary>
public sealed record InvoiceSegment(
    ContractVersion Version,
    PricingPlan Plan,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<OutcomeInstance> Outcomes,
    IReadOnlyList<ExcludedEvent> Excluded,
    IReadOnlyList<SegmentCost> Costs);

/// <summary>Aggregated cost for one outcome (null: costs not attributed to an outcome) in the cost's currency.</summary>
public sealed record SegmentCost(string? Outcome, string Currency, decimal Amount);
