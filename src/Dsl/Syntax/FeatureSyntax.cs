using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Syntax;

// Feature declarations and contract grants (docs/dsl-spec.md §15 "Features and entitlements"). The words `feature`, `features`,
// `metered`, `limit`, `hard`, `soft` and `reset` are contextual: they are identifiers everywhere else, so existing
// rule files that use them as field or outcome names keep parsing.

internal enum FeatureKindSyntax { Bool, Integer, Decimal, String, MeteredOutcome, MeteredEvent }

/// <summary>
/// <c>feature premium bool</c>, <c>feature max_agents integer</c>, <c>feature resolutions metered outcome resolved</c>
/// or <c>feature api_calls metered event api.call</c>. <see cref="Source"/> is the outcome or event type of a metered feature.
/// </summary>
internal sealed record FeatureDecl(TextSpan Span, Identifier Name, FeatureKindSyntax Kind, Identifier? Source) : Declaration(Span, Name);

/// <summary><c>features { grant* }</c> inside a contract version.</summary>
internal sealed record FeaturesItem(TextSpan Span, NodeList<FeatureGrantSyntax> Grants) : ContractItem(Span);

/// <summary>
/// One grant: a bare name (a boolean turned on, a metered feature without limit), <c>name: value</c> (a static value:
/// number, string, true or false) or <c>name limit N hard|soft [reset …]</c> (a metered limit).
/// </summary>
internal sealed record FeatureGrantSyntax(TextSpan Span, Identifier Feature, Expr? Value, FeatureLimitSyntax? Limit);

internal sealed record FeatureLimitSyntax(TextSpan Span, NumberLiteral Amount, bool Hard, FeatureResetSyntax? Reset);

internal enum FeatureResetKind { BillingPeriod, Monthly, Iso }

/// <summary><c>reset period</c> (the contract's billing period), <c>reset monthly</c> (calendar months) or <c>reset "P1D"</c>.</summary>
internal sealed record FeatureResetSyntax(TextSpan Span, FeatureResetKind Kind, StringLiteral? Iso);
