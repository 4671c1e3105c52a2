using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Syntax;

/// <summary><c>timezone "Asia/Tokyo"</c>: periods and effective dates start at local midnight in this IANA zone.</summary>
internal sealed record TimezoneItem(TextSpan Span, StringLiteral Zone) : ContractItem(Span);

/// <summary><c>tiers carry</c>, <c>tiers restart</c> or <c>tiers period</c>: where tier position starts in a later segment.</summary>
internal sealed record TiersItem(TextSpan Span, Identifier Mode) : ContractItem(Span);
