using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using static RulesBilling.Dsl.Syntax.TokenText;

namespace RulesBilling.Dsl.Syntax;

/// <summary>The contract item <c>corrections MODE</c> (docs/dsl-spec.md §10.8). <c>corrections</c> is a contextual word.</summary>
internal static class CorrectionsGrammar
{
    // The mode is any word, checked by the binder so a misspelling gets a did-you-mean (RB0213).
    public static readonly TokenListParser<RuleToken, ContractItem> Corrections =
        Token.EqualToValue(RuleToken.Identifier, "corrections").Named("`corrections`").Then(kw =>
            Token.Matching<RuleToken>(kind => kind is RuleToken.Identifier || Keywords.IsKeyword(kind), "`net` or `reverse_and_rebill`")
                .Select(mode => (ContractItem)new CorrectionsItem(Cover(kw, mode), new Identifier(mode.ToSpan(), mode.ToStringValue()))));
}
