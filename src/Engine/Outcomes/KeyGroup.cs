using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// The unit of outcome detection: the events of one outcome rule for one customer with one key (in event order),
/// plus the events that reverse that key under the rule's hold and those that disqualify it (docs/dsl-spec.md §7.8).
/// No event outside the group can change its outcomes.
/// </summary>
internal sealed record KeyGroup(string Outcome, string Customer, string Key, List<RuleEvent> Members, List<RuleEvent> Reversals, List<RuleEvent> Disqualifiers);

/// <summary>How an event takes part in a key group.</summary>
internal enum GroupRole { Member, Reversal, Disqualifier }

/// <summary>A key group an event joins: as a counted candidate, as a reversal of the key, or as its disqualification.</summary>
internal sealed record GroupMembership(string Outcome, string Key, GroupRole Role);

/// <summary>What one event yields by itself (failed conditions, evaluation faults) and the key groups it joins.</summary>
internal sealed record EventPlacement(OutcomeDetection Detection, IReadOnlyList<GroupMembership> Groups);
