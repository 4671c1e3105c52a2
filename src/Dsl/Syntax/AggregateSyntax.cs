namespace RulesBilling.Dsl.Syntax;

/// <summary>
/// <c>aggregate NAME [of EXPR] [per BUCKET [priced separately]]</c> in a charge (docs/dsl-spec.md §9.12): how the
/// charge's quantity is read from its outcomes. The names are words, checked by the binder (RB0330, RB0331) so a
/// misspelling gets a "did you mean".
/// </summary>
internal sealed record AggregateClause(
    RulesBilling.Dsl.Text.TextSpan Span,
    Identifier Function,
    Expr? Of,
    Identifier? Bucket,
    bool PricedSeparately) : ChargeClause(Span);
