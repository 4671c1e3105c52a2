using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Entitlements;

/// <summary>
/// One customer's events typed against a rule set and the outcomes detected from them. Detection runs with an
/// open-ended cutoff, so a held outcome that has not been reversed is Billable here; whether it is still pending at a
/// given instant is decided by <see cref="IsPending"/>, which lets one detection answer queries at any time.
/// </summary>
internal sealed record DetectedActivity(string RulesHash, BoundEvents Events, OutcomeDetection Detection)
{
    public static DetectedActivity From(CompiledRuleSet rules, IEnumerable<StoredEvent> events)
    {
        var bound = EventBinding.Bind(rules, events);
        return new DetectedActivity(rules.Hash, bound, OutcomeDetector.Detect(rules, bound, DateTimeOffset.MaxValue));
    }

    /// <summary>A held outcome whose validation window is still open at <paramref name="at"/>.</summary>
    public static bool IsPending(CompiledRuleSet rules, OutcomeInstance outcome, DateTimeOffset at) =>
        outcome.State == OutcomeState.Billable && outcome.BillableAt > at
        && rules.Outcomes.FirstOrDefault(o => o.Name == outcome.Outcome)?.Hold is not null;
}
