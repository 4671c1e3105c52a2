using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using static RulesBilling.Dsl.Syntax.ExpressionGrammar;
using static RulesBilling.Dsl.Syntax.TokenText;
using TextSpan = RulesBilling.Dsl.Text.TextSpan;

namespace RulesBilling.Dsl.Syntax;

/// <summary>Grammar of <c>feature</c> declarations and the <c>features { … }</c> contract item (docs/dsl-spec.md §15).</summary>
internal static class FeatureGrammar
{
    private static TokenListParser<RuleToken, Token<RuleToken>> K(RuleToken kind) => Token.EqualTo(kind);

    /// <summary>A contextual keyword: an identifier token spelled <paramref name="word"/>.</summary>
    private static TokenListParser<RuleToken, Token<RuleToken>> Word(string word) =>
        Token.EqualToValue(RuleToken.Identifier, word).Named($"`{word}`");

    /// <summary>True for the identifier that starts a feature declaration, so error recovery can resume there.</summary>
    public static bool StartsFeature(Token<RuleToken> token) =>
        token.Kind == RuleToken.Identifier && token.Span.EqualsValue("feature");

    private static readonly TokenListParser<RuleToken, Identifier> EventName =
        Token.Matching<RuleToken>(kind => kind is RuleToken.Identifier or RuleToken.Currency || Keywords.IsKeyword(kind), "event name")
            .AtLeastOnceDelimitedBy(K(RuleToken.Dot))
            .Select(parts => new Identifier(Cover(parts[0], parts[^1]), string.Join('.', parts.Select(part => part.ToStringValue()))))
            .Named("event name");

    private static TokenListParser<RuleToken, (FeatureKindSyntax Kind, Identifier? Source, TextSpan End)> Simple(RuleToken type, FeatureKindSyntax kind) =>
        K(type).Select(t => (kind, (Identifier?)null, t.ToSpan()));

    private static readonly TokenListParser<RuleToken, (FeatureKindSyntax Kind, Identifier? Source, TextSpan End)> FeatureType =
        Simple(RuleToken.BoolType, FeatureKindSyntax.Bool)
            .Or(Simple(RuleToken.IntegerType, FeatureKindSyntax.Integer))
            .Or(Simple(RuleToken.DecimalType, FeatureKindSyntax.Decimal))
            .Or(Simple(RuleToken.StringType, FeatureKindSyntax.String))
            .Or(Word("metered").IgnoreThen(
                K(RuleToken.Outcome).IgnoreThen(Name).Select(o => (FeatureKindSyntax.MeteredOutcome, (Identifier?)o, o.Span))
                    .Or(K(RuleToken.Event).IgnoreThen(EventName).Select(e => (FeatureKindSyntax.MeteredEvent, (Identifier?)e, e.Span)))))
            .Named("feature type (`bool`, `integer`, `decimal`, `string` or `metered`)");

    public static readonly TokenListParser<RuleToken, Declaration> Feature =
        Word("feature").Then(kw => Name.Then(name => FeatureType
            .Select(type => (Declaration)new FeatureDecl(Cover(kw, type.End), name, type.Kind, type.Source))));

    // ---- grants

    private static readonly TokenListParser<RuleToken, Expr> StaticValue =
        NumberLit.Select(n => (Expr)n)
            .Or(StringLit.Select(s => (Expr)s))
            .Or(K(RuleToken.True).Select(t => (Expr)new BoolLiteral(t.ToSpan(), true)))
            .Or(K(RuleToken.False).Select(t => (Expr)new BoolLiteral(t.ToSpan(), false)))
            .Named("feature value (a number, a string, `true` or `false`)");

    private static readonly TokenListParser<RuleToken, FeatureResetSyntax> Reset =
        Word("reset").Then(kw =>
            K(RuleToken.Period).Select(p => new FeatureResetSyntax(Cover(kw, p), FeatureResetKind.BillingPeriod, null))
                .Or(K(RuleToken.Monthly).Select(m => new FeatureResetSyntax(Cover(kw, m), FeatureResetKind.Monthly, null)))
                .Or(StringLit.Select(iso => new FeatureResetSyntax(Cover(kw, iso.Span), FeatureResetKind.Iso, iso))));

    private static readonly TokenListParser<RuleToken, FeatureLimitSyntax> Limit =
        Word("limit").Then(kw => NumberLit.Then(amount => Word("hard").Or(Word("soft")).Named("`hard` or `soft`").Then(mode =>
            Reset.Select(reset => new FeatureLimitSyntax(Cover(kw, reset.Span), amount, mode.Span.EqualsValue("hard"), reset))
                .OptionalOrDefault(new FeatureLimitSyntax(Cover(kw, mode), amount, mode.Span.EqualsValue("hard"), null)))));

    private static readonly TokenListParser<RuleToken, FeatureGrantSyntax> Grant =
        Name.Then(feature =>
            K(RuleToken.Colon).IgnoreThen(StaticValue).Select(value => new FeatureGrantSyntax(Cover(feature.Span, value.Span), feature, value, null))
                .Or(Limit.Select(limit => new FeatureGrantSyntax(Cover(feature.Span, limit.Span), feature, null, limit)))
                .OptionalOrDefault(new FeatureGrantSyntax(feature.Span, feature, null, null)));

    public static readonly TokenListParser<RuleToken, ContractItem> Features =
        Word("features").Then(kw => K(RuleToken.LBrace).IgnoreThen(Grant.Many()).Then(grants =>
            K(RuleToken.RBrace).Named("feature grant or `}`")
                .Select(close => (ContractItem)new FeaturesItem(Cover(kw, close), NodeList.From(grants)))));
}
