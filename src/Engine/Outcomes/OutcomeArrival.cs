using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// An event on its way into the outcome state, bound and placed (<see cref="OutcomeDetector.Place(CompiledRuleSet, RuleEvent)"/>)
/// with the rules. Both depend on the event and the rules alone, so the ingestor computes them before its append
/// transaction and the store's writer is not held for them; <see cref="StoredOutcomes.Apply(IStoreSession, string, CompiledRuleSet, IReadOnlyList{OutcomeArrival})"/>
/// receives the arrivals of the events the store accepted.
/// </summary>
/// <param name="Bound">The binding; null when no rule declares the type or the data does not bind (<paramref name="Failure"/>).</param>
/// <param name="Own">What the event yields by itself (its exclusions and faults).</param>
/// <param name="Groups">The key groups it joins.</param>
internal sealed record OutcomeArrival(StoredEvent Stored, RuleEvent? Bound, BindingFailure? Failure, OutcomeDetection Own, IReadOnlyList<GroupMembership> Groups)
{
    private static readonly OutcomeDetection Nothing = new([], [], []);

    public static OutcomeArrival Of(CompiledRuleSet rules, StoredEvent stored)
    {
        if (!EventBinding.TryBind(rules, stored, out var bound, out var failure)) return new(stored, null, null, Nothing, []);
        if (bound is null) return new(stored, null, failure, OutcomeDetector.Place(rules, failure!), []);
        var placement = OutcomeDetector.Place(rules, bound);
        return new(stored, bound, null, placement.Detection, placement.Groups);
    }
}
