using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Binding;

/// <summary>What the names of an expression refer to; see SEMANTICS.md "Names in expressions".</summary>
internal abstract record BindingScope;

/// <summary>Outcome, cost, hold and <c>for … on</c> expressions: fields of one event type's data plus <c>event.*</c>.</summary>
internal sealed record EventScope(EventSchema Event) : BindingScope;

/// <summary>A charge <c>where</c> filter: the outcome's declared dimensions, each <c>string?</c>.</summary>
internal sealed record FilterScope(string Outcome, IReadOnlyList<string> Dimensions) : BindingScope;

/// <summary>
/// A guard condition: only the aggregates revenue/cost/margin/count over the named outcomes.
/// <see cref="ContractMoney"/> is the type of revenue() and cost(): money in the contract's currency, which is
/// known here only when the pricing has a single currency (otherwise its Currency is null).
/// </summary>
internal sealed record GuardScope(RuleType ContractMoney, IReadOnlyCollection<string> Outcomes) : BindingScope;
