using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using static RulesBilling.Dsl.Syntax.ExpressionGrammar;
using static RulesBilling.Dsl.Syntax.TokenText;

namespace RulesBilling.Dsl.Syntax;

/// <summary>
/// Grammar of the value-priced and flat-fee charge models of docs/dsl-spec.md §9.5 (tier flat fees, graduated percent,
/// fee plus percent, free amount, dynamic), kept apart so the core grammar stays small. <c>plus</c>, <c>flat</c>,
/// <c>used</c>, <c>dynamic</c> and <c>per</c> are contextual words, not reserved.
/// </summary>
internal static class ChargeModelGrammar
{
    private static TokenListParser<RuleToken, Token<RuleToken>> K(RuleToken kind) => Token.EqualTo(kind);

    private static TokenListParser<RuleToken, Token<RuleToken>> Word(string word) => Token.EqualToValue(RuleToken.Identifier, word);

    private static readonly TokenListParser<RuleToken, PriceList> Prices =
        MoneyLit.AtLeastOnceDelimitedBy(K(RuleToken.Comma))
            .Select(prices => new PriceList(Cover(prices[0].Span, prices[^1].Span), NodeList.From(prices)));

    /// <summary><c>plus P</c> after a tier's price or a percent: a flat fee (per tier) or a fixed fee (per outcome).</summary>
    public static readonly TokenListParser<RuleToken, PriceList?> Plus =
        Word("plus").IgnoreThen(Prices).Select(prices => (PriceList?)prices).OptionalOrDefault(null);

    /// <summary>The price part of a tier: <c>at P [plus F]</c>, or <c>flat F</c> (no unit price).</summary>
    public static readonly TokenListParser<RuleToken, (PriceList Prices, PriceList? Flat)> TierPrice =
        K(RuleToken.At).IgnoreThen(Prices).Then(prices => Plus.Select(flat => (prices, flat)))
            .Or(Word("flat").IgnoreThen(Prices).Select(flat => (Zero(flat), (PriceList?)flat)))
            .Named("`at`");

    /// <summary><c>when used</c> before a tier block: the first tier's flat fee is not billed at zero billed units.</summary>
    public static readonly TokenListParser<RuleToken, bool> WhenUsed =
        K(RuleToken.When).IgnoreThen(Word("used").Named("'used'")).Value(true).OptionalOrDefault(false);

    private static readonly TokenListParser<RuleToken, PercentTier> PercentTier =
        K(RuleToken.Up).Then(up => K(RuleToken.To).IgnoreThen(Prices).Then(bound => K(RuleToken.At).IgnoreThen(PercentLit).Then(rate => Plus
                .Select(flat => new PercentTier(Cover(up, flat?.Span ?? rate.Span), bound, rate, flat)))))
            .Or(K(RuleToken.Rest).Then(rest => K(RuleToken.At).IgnoreThen(PercentLit).Then(rate => Plus
                .Select(flat => new PercentTier(Cover(rest, flat?.Span ?? rate.Span), null, rate, flat)))))
            .Then(tier => K(RuleToken.Semicolon).Value(tier).OptionalOrDefault(tier));

    /// <summary>After <c>graduated</c>: <c>percent of value [when used] { tier+ }</c>.</summary>
    public static TokenListParser<RuleToken, ChargeClause> GraduatedPercentTail(Token<RuleToken> graduated) =>
        K(RuleToken.PercentKeyword).IgnoreThen(K(RuleToken.Of)).IgnoreThen(K(RuleToken.Value)).IgnoreThen(WhenUsed).Then(whenUsed =>
            K(RuleToken.LBrace).IgnoreThen(PercentTier.AtLeastOnce()).Then(tiers => K(RuleToken.RBrace).Named("percent tier or `}`")
                .Select(close => (ChargeClause)new GraduatedPercentClause(Cover(graduated, close), whenUsed, NodeList.From(tiers)))));

    /// <summary><c>dynamic value [per unit] [times N]</c>.</summary>
    public static readonly TokenListParser<RuleToken, ChargeClause> Dynamic =
        Word("dynamic").Then(kw => K(RuleToken.Value).Then(value => Word("per").IgnoreThen(K(RuleToken.Unit))
            .Select(unit => (Span: Cover(kw, unit), PerUnit: true))
            .OptionalOrDefault((Span: Cover(kw, value), PerUnit: false))
            .Then(head => Word("times").IgnoreThen(NumberLit)
                .Select(n => (ChargeClause)new DynamicClause(Cover(head.Span, n.Span), head.PerUnit) { Multiplier = n })
                .OptionalOrDefault(new DynamicClause(head.Span, head.PerUnit)))));

    /// <summary>After <c>free N</c>: a currency makes it an amount of value (<c>free 500 USD, 460 EUR</c>).</summary>
    public static TokenListParser<RuleToken, ChargeClause> FreeTail(Token<RuleToken> free, NumberLiteral units) =>
        CurrencyCode.Then(code => K(RuleToken.Comma).IgnoreThen(MoneyLit).Many().Select(rest =>
            {
                var first = new MoneyLiteral(Cover(units.Span, code.Span), units.Value, code.Text);
                var list = new PriceList(Cover(first.Span, rest.Length == 0 ? first.Span : rest[^1].Span), NodeList.From(new[] { first }.Concat(rest)));
                return (ChargeClause)new FreeAmountClause(Cover(free, list.Span), list);
            }))
            .OptionalOrDefault(new FreeClause(Cover(free, units.Span), units));

    private static readonly string[] ChargeWords =
        ["unit", "graduated", "volume", "package", "percent", "dynamic", "free", "cap", "label", "description", "script"];

    private static readonly string[] TierWords = ["up", "rest", "plus", "flat"];

    /// <summary>
    /// " (did you mean 'plus'?)" when a syntax error inside a charge or its tiers is at a word close to one that fits
    /// there (<c>pluss</c>, <c>dynamc</c>, <c>graduatd</c>); "" otherwise.
    /// </summary>
    public static string Suggestion(Token<RuleToken> unexpected, string message)
    {
        if (unexpected.Kind != RuleToken.Identifier) return "";
        var word = unexpected.ToStringValue();
        var words = message.Contains("expected charge clause", StringComparison.Ordinal) ? ChargeWords
            : message.Contains("tier or `}`", StringComparison.Ordinal) ? TierWords
            : null;
        return words is null || words.Contains(word) ? "" : RulesBilling.Dsl.Text.NameSuggestions.DidYouMean(word, words);
    }

    /// <summary>A zero unit price in each currency of <paramref name="flat"/>, for a <c>flat</c>-only tier.</summary>
    private static PriceList Zero(PriceList flat) =>
        new(flat.Span, NodeList.From(flat.Prices.Select(p => new MoneyLiteral(p.Span, 0m, p.Currency))));
}
