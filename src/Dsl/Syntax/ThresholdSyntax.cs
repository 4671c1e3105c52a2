using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Syntax;

/// <summary>
/// <c>thresholds 100 USD, 250 USD then every 500 USD</c> (or <c>thresholds every 500 USD</c>): the running amounts of
/// an open period at which an invoice is issued early (docs/dsl-spec.md §10.9), optionally followed by <c>on usage</c> or
/// <c>on total</c> (§10.9.2): <see cref="Basis"/> is the word after <c>on</c>, checked by the binder.
/// </summary>
internal sealed record ThresholdsItem(TextSpan Span, NodeList<MoneyLiteral> Amounts, MoneyLiteral? Every) : ContractItem(Span)
{
    public Identifier? Basis { get; init; }
}
