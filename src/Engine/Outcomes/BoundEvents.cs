using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// Stored events typed against the current rule set's schemas, in (time, source, id) order, plus the events
/// whose data no longer matches their schema (the rules changed after they were accepted).
/// </summary>
internal sealed record BoundEvents(IReadOnlyList<RuleEvent> Events, IReadOnlyList<BindingFailure> Failures);

/// <summary>An event of a declared type whose data does not bind to the schema.</summary>
internal sealed record BindingFailure(string Customer, string EventId, string Type, DateTimeOffset Time, string Reason);
