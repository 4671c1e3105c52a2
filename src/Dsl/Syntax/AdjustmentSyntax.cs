using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Syntax;

// Coupons and taxes (docs/dsl-spec.md §9.14, §9.15) and the contract clauses that attach them. The words `coupon`, `tax`,
// `once`, `forever`, `periods`, `rate`, `exclusive`, `inclusive` and `jurisdiction` are contextual: they are identifiers
// everywhere else, so existing rule files that use them as field or outcome names keep parsing.

internal enum CouponDurationKind { Once, Periods, Forever }

/// <summary><c>once</c>, <c>for N periods</c> (<see cref="Count"/>) or <c>forever</c>.</summary>
internal sealed record CouponDurationSyntax(TextSpan Span, CouponDurationKind Kind, NumberLiteral? Count);

internal abstract record AdjustmentItem(TextSpan Span);

/// <summary><c>percent 10%</c> (<see cref="Percent"/>) or <c>amount 50 USD, 45 EUR</c> (<see cref="Amount"/>).</summary>
internal sealed record CouponValueItem(TextSpan Span, PercentLiteral? Percent, PriceList? Amount) : AdjustmentItem(Span);

internal sealed record CouponDurationItem(TextSpan Span, CouponDurationSyntax Duration) : AdjustmentItem(Span);

/// <summary><c>rate 20% exclusive</c>; the mode is any word, checked by the binder (did-you-mean).</summary>
internal sealed record TaxRateItem(TextSpan Span, PercentLiteral Rate, Identifier Mode) : AdjustmentItem(Span);

internal sealed record TaxJurisdictionItem(TextSpan Span, StringLiteral Code) : AdjustmentItem(Span);

/// <summary><c>label "…"</c> (coupon or tax) or (<see cref="IsDescription"/>) <c>description "…"</c> (coupon) inside the block.</summary>
internal sealed record AdjustmentTextItem(TextSpan Span, bool IsDescription, StringLiteral Text) : AdjustmentItem(Span);

/// <summary><c>coupon NAME { percent 10% | amount 50 USD  once | for 3 periods | forever }</c>.</summary>
internal sealed record CouponDecl(TextSpan Span, Identifier Name, NodeList<AdjustmentItem> Items) : Declaration(Span, Name);

/// <summary><c>tax NAME { rate 20% exclusive [jurisdiction "GB"] }</c>.</summary>
internal sealed record TaxDecl(TextSpan Span, Identifier Name, NodeList<AdjustmentItem> Items) : Declaration(Span, Name);

/// <summary>
/// <c>coupon NAME [customers "a", "b"] [once | for N periods | forever] [from DATE]</c> in a contract version: the
/// coupon applies to this version's invoices, for the listed customers only when a list is given.
/// </summary>
internal sealed record CouponRefItem(TextSpan Span, Identifier Coupon, NodeList<StringLiteral> Customers, CouponDurationSyntax? Duration, DateSyntax? From)
    : ContractItem(Span);

/// <summary><c>tax NAME [customers "a", "b"]</c> in a contract version.</summary>
internal sealed record TaxRefItem(TextSpan Span, Identifier Tax, NodeList<StringLiteral> Customers) : ContractItem(Span);
