using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using static RulesBilling.Dsl.Syntax.ExpressionGrammar;
using static RulesBilling.Dsl.Syntax.TokenText;
using TextSpan = RulesBilling.Dsl.Text.TextSpan;

namespace RulesBilling.Dsl.Syntax;

/// <summary>Grammar of <c>coupon</c> and <c>tax</c> declarations and their contract clauses (docs/dsl-spec.md §9.14, §9.15).</summary>
internal static class AdjustmentGrammar
{
    private static TokenListParser<RuleToken, Token<RuleToken>> K(RuleToken kind) => Token.EqualTo(kind);

    private static TokenListParser<RuleToken, Token<RuleToken>> Word(string word) =>
        Token.EqualToValue(RuleToken.Identifier, word).Named($"`{word}`");

    /// <summary>True for the identifier that starts a coupon or tax declaration, so error recovery can resume there.</summary>
    public static bool StartsAdjustment(Token<RuleToken> token) =>
        token.Kind == RuleToken.Identifier && (token.Span.EqualsValue("coupon") || token.Span.EqualsValue("tax"));

    private static readonly TokenListParser<RuleToken, PriceList> PriceList =
        MoneyLit.AtLeastOnceDelimitedBy(K(RuleToken.Comma))
            .Select(prices => new PriceList(Cover(prices[0].Span, prices[^1].Span), NodeList.From(prices)));

    private static readonly TokenListParser<RuleToken, DateSyntax> Date =
        Token.EqualTo(RuleToken.Date).Select(t => new DateSyntax(t.ToSpan(),
            DateOnly.ParseExact(t.Span.ToStringValue(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

    // `for 1 period` reads better than `for 1 periods`; `period` is a keyword, `periods` a contextual word.
    private static readonly TokenListParser<RuleToken, CouponDurationSyntax> Duration =
        Word("once").Select(t => new CouponDurationSyntax(t.ToSpan(), CouponDurationKind.Once, null))
            .Or(Word("forever").Select(t => new CouponDurationSyntax(t.ToSpan(), CouponDurationKind.Forever, null)))
            .Or(K(RuleToken.For).Then(kw => NumberLit.Then(count => Word("periods").Or(K(RuleToken.Period)).Named("`periods`")
                .Select(end => new CouponDurationSyntax(Cover(kw, end), CouponDurationKind.Periods, count)))));

    private static TokenListParser<RuleToken, AdjustmentItem> Text(string word, bool isDescription) =>
        Word(word).Then(kw => StringLit.Select(text => (AdjustmentItem)new AdjustmentTextItem(Cover(kw, text.Span), isDescription, text)));

    private static readonly TokenListParser<RuleToken, AdjustmentItem> CouponItem =
        K(RuleToken.PercentKeyword).Then(kw => PercentLit.Select(rate => (AdjustmentItem)new CouponValueItem(Cover(kw, rate.Span), rate, null)))
            .Or(K(RuleToken.Amount).Then(kw => PriceList.Select(prices => (AdjustmentItem)new CouponValueItem(Cover(kw, prices.Span), null, prices))))
            .Or(Duration.Select(d => (AdjustmentItem)new CouponDurationItem(d.Span, d)))
            .Or(Text("label", false))
            .Or(Text("description", true));

    private static readonly TokenListParser<RuleToken, AdjustmentItem> TaxItem =
        Word("rate").Then(kw => PercentLit.Then(rate =>
                Token.Matching<RuleToken>(kind => kind is RuleToken.Identifier || Keywords.IsKeyword(kind), "`exclusive` or `inclusive`")
                    .Select(mode => (AdjustmentItem)new TaxRateItem(Cover(kw, mode), rate, new Identifier(mode.ToSpan(), mode.ToStringValue())))))
            .Or(Word("jurisdiction").Then(kw => StringLit.Select(code => (AdjustmentItem)new TaxJurisdictionItem(Cover(kw, code.Span), code))))
            .Or(Text("label", false));

    private static TokenListParser<RuleToken, (NodeList<AdjustmentItem> Items, Token<RuleToken> Close)> Block(
        TokenListParser<RuleToken, AdjustmentItem> item, string itemName) =>
        K(RuleToken.LBrace).IgnoreThen(item.Many()).Then(items =>
            K(RuleToken.RBrace).Named($"{itemName} or `}}`").Select(close => (NodeList.From(items), close)));

    public static readonly TokenListParser<RuleToken, Declaration> Coupon =
        Word("coupon").Then(kw => Name.Then(name => Block(CouponItem, "coupon item")
            .Select(block => (Declaration)new CouponDecl(Cover(kw, block.Close), name, block.Items))));

    public static readonly TokenListParser<RuleToken, Declaration> Tax =
        Word("tax").Then(kw => Name.Then(name => Block(TaxItem, "tax item")
            .Select(block => (Declaration)new TaxDecl(Cover(kw, block.Close), name, block.Items))));

    // ---- contract clauses

    private static readonly TokenListParser<RuleToken, NodeList<StringLiteral>> Customers =
        K(RuleToken.Customers).IgnoreThen(StringLit.AtLeastOnceDelimitedBy(K(RuleToken.Comma)))
            .Select(list => NodeList.From(list))
            .OptionalOrDefault(NodeList<StringLiteral>.Empty);

    private static readonly TokenListParser<RuleToken, DateSyntax?> From =
        K(RuleToken.From).IgnoreThen(Date).Select(d => (DateSyntax?)d).OptionalOrDefault(null);

    public static readonly TokenListParser<RuleToken, ContractItem> CouponRef =
        Word("coupon").Then(kw => Name.Then(name => Customers.Then(customers =>
            Duration.Select(d => (CouponDurationSyntax?)d).OptionalOrDefault(null).Then(duration => From.Select(from =>
                (ContractItem)new CouponRefItem(
                    Cover(kw.ToSpan(), from?.Span ?? duration?.Span ?? (customers.Count > 0 ? customers[^1].Span : name.Span)),
                    name, customers, duration, from))))));

    public static readonly TokenListParser<RuleToken, ContractItem> TaxRef =
        Word("tax").Then(kw => Name.Then(name => Customers.Select(customers =>
            (ContractItem)new TaxRefItem(Cover(kw.ToSpan(), customers.Count > 0 ? customers[^1].Span : name.Span), name, customers))));
}
