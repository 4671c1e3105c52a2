using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Syntax;

/// <summary><c>corrections net | reverse_and_rebill</c> in a contract (docs/dsl-spec.md §10.8); the mode is checked by the binder.</summary>
internal sealed record CorrectionsItem(TextSpan Span, Identifier Mode) : ContractItem(Span);
