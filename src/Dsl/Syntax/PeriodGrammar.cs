using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using static RulesBilling.Dsl.Syntax.ExpressionGrammar;
using static RulesBilling.Dsl.Syntax.TokenText;

namespace RulesBilling.Dsl.Syntax;

/// <summary>The contract items about periods and segments (docs/dsl-spec.md §10.4, §10.5): <c>timezone</c> and <c>tiers</c>.</summary>
internal static class PeriodGrammar
{
    private static TokenListParser<RuleToken, Token<RuleToken>> Word(string word) =>
        Token.EqualToValue(RuleToken.Identifier, word).Named($"`{word}`");

    public static readonly TokenListParser<RuleToken, ContractItem> Timezone =
        Word("timezone").Then(kw => StringLit.Select(zone => (ContractItem)new TimezoneItem(Cover(kw, zone.Span), zone)));

    // The mode is any word (`period` is a keyword), checked by the binder so a misspelling gets a did-you-mean (RB0411).
    public static readonly TokenListParser<RuleToken, ContractItem> Tiers =
        Word("tiers").Then(kw => Token.Matching<RuleToken>(kind => kind is RuleToken.Identifier || Keywords.IsKeyword(kind), "`carry`, `restart` or `period`")
            .Select(mode => (ContractItem)new TiersItem(Cover(kw, mode), new Identifier(mode.ToSpan(), mode.ToStringValue()))));
}
