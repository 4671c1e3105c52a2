using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using static RulesBilling.Dsl.Syntax.ExpressionGrammar;
using static RulesBilling.Dsl.Syntax.TokenText;

namespace RulesBilling.Dsl.Syntax;

/// <summary>
/// The contract items about periods and segments (docs/dsl-spec.md §10.4, §10.5, §10.9): <c>timezone</c>, <c>tiers</c>
/// and <c>thresholds</c>.
/// </summary>
internal static class PeriodGrammar
{
    private static TokenListParser<RuleToken, Token<RuleToken>> Word(string word) =>
        Token.EqualToValue(RuleToken.Identifier, word).Named($"`{word}`");

    private static TokenListParser<RuleToken, Token<RuleToken>> K(RuleToken kind) => Token.EqualTo(kind);

    public static readonly TokenListParser<RuleToken, ContractItem> Timezone =
        Word("timezone").Then(kw => StringLit.Select(zone => (ContractItem)new TimezoneItem(Cover(kw, zone.Span), zone)));

    // The mode is any word (`period` is a keyword), checked by the binder so a misspelling gets a did-you-mean (RB0411).
    public static readonly TokenListParser<RuleToken, ContractItem> Tiers =
        Word("tiers").Then(kw => Token.Matching<RuleToken>(kind => kind is RuleToken.Identifier || Keywords.IsKeyword(kind), "`carry`, `restart` or `period`")
            .Select(mode => (ContractItem)new TiersItem(Cover(kw, mode), new Identifier(mode.ToSpan(), mode.ToStringValue()))));

    private static readonly TokenListParser<RuleToken, MoneyLiteral?> Recurring =
        Word("every").IgnoreThen(MoneyLit).Select(step => (MoneyLiteral?)step);

    // `on usage` / `on total` (§10.9.2): any word, checked by the binder so a misspelling gets a did-you-mean (RB0424).
    private static readonly TokenListParser<RuleToken, Identifier?> Basis =
        K(RuleToken.On).IgnoreThen(Token.Matching<RuleToken>(kind => kind is RuleToken.Identifier || Keywords.IsKeyword(kind), "`usage` or `total`"))
            .Select(word => (Identifier?)new Identifier(word.ToSpan(), word.ToStringValue()))
            .OptionalOrDefault(null);

    // `thresholds every 500 USD`, or a list with an optional `then every 500 USD` after its last amount; then `on …`.
    public static readonly TokenListParser<RuleToken, ContractItem> Thresholds =
        Word("thresholds").Then(kw =>
            Recurring.Select(every => new ThresholdsItem(Cover(kw, every!.Span), NodeList<MoneyLiteral>.Empty, every))
                .Or(MoneyLit.AtLeastOnceDelimitedBy(K(RuleToken.Comma)).Then(amounts =>
                    K(RuleToken.Then).IgnoreThen(Recurring).OptionalOrDefault(null)
                        .Select(every => new ThresholdsItem(Cover(kw, (every ?? amounts[^1]).Span), NodeList.From(amounts), every))))
                .Then(item => Basis.Select(basis => (ContractItem)(basis is null ? item : item with { Span = Cover(kw, basis.Span), Basis = basis }))));
}
