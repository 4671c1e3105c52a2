using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Costs;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Activity;

/// <summary>
/// The activity of one contract-version segment: the outcome instances placed in it (state as of the period
/// activity's instant), the excluded events that happened in it, and the customer's costs of its events.
/// </summary>
public sealed record SegmentActivity(
    ContractSegment Segment,
    PricingPlan Plan,
    IReadOnlyList<OutcomeInstance> Outcomes,
    IReadOnlyList<ExcludedEvent> Excluded,
    IReadOnlyList<CostTotal> Costs);
