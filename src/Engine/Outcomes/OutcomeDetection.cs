using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// What the detector found. <see cref="Outcomes"/> holds every instance in every state (billable, pending,
/// reversed); <see cref="Excluded"/> lists every event that does not count, with its reason — including the
/// creating events of pending and reversed instances; <see cref="Errors"/> are the rating errors among them.
/// </summary>
internal sealed record OutcomeDetection(
    IReadOnlyList<OutcomeInstance> Outcomes,
    IReadOnlyList<ExcludedEvent> Excluded,
    IReadOnlyList<RatingError> Errors);
