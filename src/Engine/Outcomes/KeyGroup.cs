using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// The unit of outcome detection: the events of one outcome rule for one customer with one key (in event order),
/// plus the events that reverse that key under the rule's hold. No event outside the group can change its outcomes.
/// </summary>
internal sealed record KeyGroup(string Outcome, string Customer, string Key, List<RuleEvent> Members, List<RuleEvent> Reversals);

/// <summary>A key group an event joins: as a counted candidate, or as a reversal of the key.</summary>
internal sealed record GroupMembership(string Outcome, string Key, bool AsReversal);

/// <summary>What one event yields by itself (failed conditions, evaluation faults) and the key groups it joins.</summary>
internal sealed record EventPlacement(OutcomeDetection Detection, IReadOnlyList<GroupMembership> Groups);
