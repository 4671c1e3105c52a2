using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using static RulesBilling.Dsl.Syntax.TokenText;

namespace RulesBilling.Dsl.Syntax;

/// <summary>Grammar of script references (docs/dsl-spec.md §16), kept apart so the core grammar stays unchanged.</summary>
internal static class ScriptGrammar
{
    private static TokenListParser<RuleToken, Token<RuleToken>> K(RuleToken kind) => Token.EqualTo(kind);

    private static readonly TokenListParser<RuleToken, ScriptSource> Source =
        ExpressionGrammar.StringLit.Select(path => (ScriptSource)new ScriptFileSource(path.Span, path.Value))
            .Or(K(RuleToken.ScriptBlock).Select(block =>
            {
                var text = block.ToStringValue();
                var fence = ScriptBlocks.FenceLength(text, 0);
                var span = block.ToSpan();
                return (ScriptSource)new InlineScriptSource(span, text[fence..^fence], new Text.TextSpan(span.Start + fence, span.End - fence));
            }))
            .Named("script file name or \"\"\" script block");

    private static TokenListParser<RuleToken, TypeSyntax> Simple(RuleToken kind, FieldTypeKind type) =>
        K(kind).Select(t => new TypeSyntax(t.ToSpan(), type, null));

    private static readonly TokenListParser<RuleToken, TypeSyntax> ResultType =
        Simple(RuleToken.BoolType, FieldTypeKind.Bool)
            .Or(Simple(RuleToken.StringType, FieldTypeKind.String))
            .Or(Simple(RuleToken.DecimalType, FieldTypeKind.Decimal))
            .Or(Simple(RuleToken.IntegerType, FieldTypeKind.Integer))
            .Or(Simple(RuleToken.TimestampType, FieldTypeKind.Timestamp))
            .Or(Simple(RuleToken.DurationType, FieldTypeKind.Duration))
            .Or(K(RuleToken.MoneyType).Then(money => ExpressionGrammar.CurrencyCode
                .Select(c => new TypeSyntax(Cover(money, c.Span), FieldTypeKind.Money, c.Text))))
            .Named("script result type");

    /// <summary><c>script source [returns type]</c> as an expression.</summary>
    public static readonly TokenListParser<RuleToken, Expr> Script =
        K(RuleToken.Script).Then(kw => Source.Then(source => K(RuleToken.Returns).IgnoreThen(ResultType)
            .Select(type => (Expr)new ScriptExpr(Cover(kw, type.Span), source, type))
            .OptionalOrDefault(new ScriptExpr(Cover(kw, source.Span), source, null))));

    /// <summary><c>script source</c> as a charge model.</summary>
    public static readonly TokenListParser<RuleToken, ChargeClause> ChargeModel =
        K(RuleToken.Script).Then(kw => Source.Select(source => (ChargeClause)new ScriptChargeClause(Cover(kw, source.Span), source)));
}
