using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using static RulesBilling.Dsl.Syntax.ExpressionGrammar;
using static RulesBilling.Dsl.Syntax.TokenText;

namespace RulesBilling.Dsl.Syntax;

/// <summary>
/// The <c>aggregate</c> charge clause. Its words (<c>aggregate</c>, <c>per</c>, <c>priced</c>, <c>separately</c>, the
/// function and bucket names) are contextual, not reserved, so existing schemas may keep fields named <c>day</c> or
/// <c>latest</c>; <c>max</c> and <c>min</c> are already keywords and are accepted as function names.
/// </summary>
internal static class AggregateGrammar
{
    private static TokenListParser<RuleToken, Token<RuleToken>> Word(string word) => Token.EqualToValue(RuleToken.Identifier, word);

    private static readonly TokenListParser<RuleToken, Identifier> FunctionName =
        Token.Matching<RuleToken>(kind => kind is RuleToken.Identifier or RuleToken.Max or RuleToken.Min, "aggregation")
            .Select(t => new Identifier(t.ToSpan(), t.ToStringValue()))
            .Named("aggregation (count, sum, max, min, latest, unique, weighted_sum)");

    private static readonly TokenListParser<RuleToken, Expr?> Of =
        Token.EqualTo(RuleToken.Of).IgnoreThen(Expression).Select(e => (Expr?)e).OptionalOrDefault(null);

    private static readonly TokenListParser<RuleToken, (Identifier Bucket, Token<RuleToken>? Last)?> Per =
        Word("per").IgnoreThen(Name.Named("bucket (minute, hour, day)")).Then(bucket =>
                Word("priced").IgnoreThen(Word("separately")).Select(t => (Token<RuleToken>?)t).OptionalOrDefault(null)
                    .Select(last => ((Identifier Bucket, Token<RuleToken>? Last)?)(bucket, last)))
            .OptionalOrDefault(null);

    public static readonly TokenListParser<RuleToken, ChargeClause> Aggregate =
        Word("aggregate").Then(kw => FunctionName.Then(function => Of.Then(of => Per.Select(per =>
        {
            var end = per is { Last: { } last } ? last.ToSpan() : per?.Bucket.Span ?? of?.Span ?? function.Span;
            return (ChargeClause)new AggregateClause(Cover(kw, end), function, of, per?.Bucket, per?.Last is not null);
        }))));
}
