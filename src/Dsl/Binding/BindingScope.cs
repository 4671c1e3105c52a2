using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Binding;

/// <summary>What the names of an expression refer to; see docs/dsl-spec.md §5 "Names and scopes".</summary>
internal abstract record BindingScope;

/// <summary>Outcome, cost, hold and <c>for … on</c> expressions: fields of one event type's data plus <c>event.*</c>.</summary>
internal sealed record EventScope(EventSchema Event) : BindingScope;

/// <summary>A charge <c>where</c> filter: the outcome's declared dimensions, each <c>string?</c>.</summary>
internal sealed record FilterScope(string Outcome, IReadOnlyList<string> Dimensions) : BindingScope;

/// <summary>
/// A guard condition: only the aggregates revenue/cost/margin/count over the named outcomes.
/// <see cref="ContractMoney"/> is the type of revenue() and cost(): money in the contract's currency. A guard is
/// checked once per currency of its pricing; Currency is null only for a pricing without any price.
/// </summary>
internal sealed record GuardScope(RuleType ContractMoney, IReadOnlyCollection<string> Outcomes) : BindingScope;
