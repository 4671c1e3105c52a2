using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using static RulesBilling.Dsl.Syntax.ExpressionGrammar;
using static RulesBilling.Dsl.Syntax.TokenText;

namespace RulesBilling.Dsl.Syntax;

/// <summary>Declaration grammar of docs/dsl-spec.md §2. Every node's span runs from its first token to its last.</summary>
internal static class DeclarationGrammar
{
    private static TokenListParser<RuleToken, Token<RuleToken>> K(RuleToken kind) => Token.EqualTo(kind);

    /// <summary><c>{ item* }</c>; a stray token inside reads "expected {itemName} or `}`".</summary>
    private static TokenListParser<RuleToken, (Token<RuleToken> Open, NodeList<T> Items, Token<RuleToken> Close)> Block<T>(
        TokenListParser<RuleToken, T> item, string itemName) =>
        K(RuleToken.LBrace).Then(open => item.Many().Then(items =>
            K(RuleToken.RBrace).Named($"{itemName} or `}}`").Select(close => (open, NodeList.From(items), close))));

    private static TokenListParser<RuleToken, (Token<RuleToken> Open, NodeList<T> Items, Token<RuleToken> Close)> CommaBlock<T>(
        TokenListParser<RuleToken, T> item) =>
        K(RuleToken.LBrace).Then(open => item.AtLeastOnceDelimitedBy(K(RuleToken.Comma)).Then(items =>
            K(RuleToken.RBrace).Select(close => (open, NodeList.From(items), close))));

    // Event type names are dotted; after the first part any word is allowed (`ticket.reversed`, `llm.cost`).
    private static readonly TokenListParser<RuleToken, Identifier> EventName =
        Token.Matching<RuleToken>(kind => kind is RuleToken.Identifier or RuleToken.Currency || Keywords.IsKeyword(kind), "event name")
            .AtLeastOnceDelimitedBy(K(RuleToken.Dot))
            .Select(parts => new Identifier(Cover(parts[0], parts[^1]), string.Join('.', parts.Select(part => part.NameText()))))
            .Named("event name");

    private static readonly TokenListParser<RuleToken, PriceList> PriceList =
        MoneyLit.AtLeastOnceDelimitedBy(K(RuleToken.Comma))
            .Select(prices => new PriceList(Cover(prices[0].Span, prices[^1].Span), NodeList.From(prices)));

    // ---- event

    private static TokenListParser<RuleToken, TypeSyntax> SimpleType(RuleToken kind, FieldTypeKind type) =>
        K(kind).Select(t => new TypeSyntax(t.ToSpan(), type, null));

    private static readonly TokenListParser<RuleToken, TypeSyntax> Type =
        SimpleType(RuleToken.StringType, FieldTypeKind.String)
            .Or(SimpleType(RuleToken.DecimalType, FieldTypeKind.Decimal))
            .Or(SimpleType(RuleToken.IntegerType, FieldTypeKind.Integer))
            .Or(SimpleType(RuleToken.BoolType, FieldTypeKind.Bool))
            .Or(SimpleType(RuleToken.TimestampType, FieldTypeKind.Timestamp))
            .Or(SimpleType(RuleToken.DurationType, FieldTypeKind.Duration))
            .Or(K(RuleToken.MoneyType).Then(money => CurrencyCode.Select(c => new TypeSyntax(Cover(money, c.Span), FieldTypeKind.Money, c.Text))))
            .Named("type");

    private static readonly TokenListParser<RuleToken, FieldDecl> Field =
        Name.Then(name => K(RuleToken.Colon).IgnoreThen(Type).Then(type => K(RuleToken.Question)
            .Select(q => new FieldDecl(Cover(name.Span, q.ToSpan()), name, type, true))
            .OptionalOrDefault(new FieldDecl(Cover(name.Span, type.Span), name, type, false))));

    private static readonly TokenListParser<RuleToken, Declaration> Event =
        K(RuleToken.Event).Then(kw => EventName.Then(name => Block(Field, "field")
            .Select(block => (Declaration)new EventDecl(Cover(kw, block.Close), name, block.Items))));

    // ---- outcome and cost clauses

    private static TokenListParser<RuleToken, Clause> ExprClause(RuleToken keyword, Func<RulesBilling.Dsl.Text.TextSpan, Expr, Clause> make) =>
        K(keyword).Then(kw => Expression.Select(e => make(Cover(kw, e.Span), e)));

    private static readonly TokenListParser<RuleToken, Clause> When = ExprClause(RuleToken.When, (span, e) => new WhenClause(span, e));
    private static readonly TokenListParser<RuleToken, Clause> Quantity = ExprClause(RuleToken.Quantity, (span, e) => new QuantityClause(span, e));
    private static readonly TokenListParser<RuleToken, Clause> Value = ExprClause(RuleToken.Value, (span, e) => new ValueClause(span, e));
    private static readonly TokenListParser<RuleToken, Clause> Amount = ExprClause(RuleToken.Amount, (span, e) => new AmountClause(span, e));

    private static readonly TokenListParser<RuleToken, Clause> Key =
        K(RuleToken.Key).Then(kw => Expression.Then(key => K(RuleToken.Within).IgnoreThen(DurationLit)
            .Select(within => (Clause)new KeyClause(Cover(kw, within.Span), key, within))
            .OptionalOrDefault(new KeyClause(Cover(kw, key.Span), key, null))));

    private static readonly TokenListParser<RuleToken, Clause> Hold =
        K(RuleToken.Hold).Then(kw => DurationLit.Then(window => K(RuleToken.Reversed).IgnoreThen(K(RuleToken.By)).IgnoreThen(EventName)
            .Then(reversing => K(RuleToken.On).IgnoreThen(Expression)
                .Select(on => (Clause)new HoldClause(Cover(kw, on.Span), window, reversing, on)))));

    // `disqualified` is a contextual word, not reserved: a schema field may still be called `disqualified`.
    private static readonly TokenListParser<RuleToken, Clause> Disqualified =
        Token.EqualToValue(RuleToken.Identifier, "disqualified").Then(kw => K(RuleToken.By).IgnoreThen(EventName)
            .Then(disqualifying => K(RuleToken.On).IgnoreThen(Expression)
                .Then(on => K(RuleToken.Where).IgnoreThen(Expression)
                    .Select(where => (Clause)new DisqualifiedClause(Cover(kw, where.Span), disqualifying, on, where))
                    .OptionalOrDefault(new DisqualifiedClause(Cover(kw, on.Span), disqualifying, on, null)))));

    private static readonly TokenListParser<RuleToken, DimensionEntry> Dimension =
        Name.Then(name => K(RuleToken.Colon).IgnoreThen(Expression).Select(value => new DimensionEntry(Cover(name.Span, value.Span), name, value)));

    private static readonly TokenListParser<RuleToken, Clause> Dimensions =
        K(RuleToken.Dimensions).Then(kw => CommaBlock(Dimension)
            .Select(block => (Clause)new DimensionsClause(Cover(kw, block.Close), block.Items)));

    private static readonly TokenListParser<RuleToken, SplitShare> Share =
        PercentLit.Then(share => K(RuleToken.To).IgnoreThen(Expression).Select(target => new SplitShare(Cover(share.Span, target.Span), share, target)));

    private static readonly TokenListParser<RuleToken, Clause> Split =
        K(RuleToken.Split).Then(kw => Name.Then(dimension => CommaBlock(Share)
            .Select(block => (Clause)new SplitClause(Cover(kw, block.Close), dimension, block.Items))));

    private static readonly TokenListParser<RuleToken, Clause> For =
        K(RuleToken.For).Then(kw => Name.Then(outcome => K(RuleToken.On).IgnoreThen(Expression)
            .Select(on => (Clause)new ForClause(Cover(kw, on.Span), outcome, on))
            .OptionalOrDefault(new ForClause(Cover(kw, outcome.Span), outcome, null))));

    // `label` and `description` are contextual words, not reserved: a schema field may still be called `description`.
    private static TokenListParser<RuleToken, (Token<RuleToken> Word, StringLiteral Text)> TextItem(string word) =>
        Token.EqualToValue(RuleToken.Identifier, word).Then(kw => StringLit.Select(text => (kw, text)));

    private static readonly TokenListParser<RuleToken, Clause> Label =
        TextItem("label").Select(t => (Clause)new LabelClause(Cover(t.Word, t.Text.Span), t.Text));

    private static readonly TokenListParser<RuleToken, Clause> Description =
        TextItem("description").Select(t => (Clause)new DescriptionClause(Cover(t.Word, t.Text.Span), t.Text));

    private static readonly TokenListParser<RuleToken, Clause> OutcomeClause =
        When.Or(Key).Or(Quantity).Or(Value).Or(Hold).Or(Disqualified).Or(Dimensions).Or(Split).Or(Label).Or(Description);

    private static readonly TokenListParser<RuleToken, Clause> CostClause =
        When.Or(Amount).Or(For).Or(Dimensions);

    private static readonly TokenListParser<RuleToken, Declaration> Outcome =
        K(RuleToken.Outcome).Then(kw => Name.Then(name => K(RuleToken.From).IgnoreThen(EventName).Then(eventType =>
            Block(OutcomeClause, "outcome clause")
                .Select(block => (Declaration)new OutcomeDecl(Cover(kw, block.Close), name, eventType, block.Items)))));

    private static readonly TokenListParser<RuleToken, Declaration> Cost =
        K(RuleToken.Cost).Then(kw => Name.Then(name => K(RuleToken.From).IgnoreThen(EventName).Then(eventType =>
            Block(CostClause, "cost clause")
                .Select(block => (Declaration)new CostDecl(Cover(kw, block.Close), name, eventType, block.Items)))));

    // ---- pricing

    private static readonly TokenListParser<RuleToken, ChargeClause> Unit =
        K(RuleToken.Unit).Then(kw => PriceList.Select(prices => (ChargeClause)new UnitClause(Cover(kw, prices.Span), prices)));

    // Tiers may end with `;`, so the `up to 10 at 1 USD; rest at 2 USD` shorthand of the semantics notes parses too.
    // A tier's price may carry a flat fee (`at 1 USD plus 10 USD`, `flat 10 USD`): ChargeModelGrammar.TierPrice.
    private static readonly TokenListParser<RuleToken, Tier> Tier =
        K(RuleToken.Up).Then(up => K(RuleToken.To).IgnoreThen(NumberLit).Then(bound => ChargeModelGrammar.TierPrice
                .Select(price => new Tier(Cover(up, (price.Flat ?? price.Prices).Span), bound, price.Prices) { Flat = price.Flat })))
            .Or(K(RuleToken.Rest).Then(rest => ChargeModelGrammar.TierPrice
                .Select(price => new Tier(Cover(rest, (price.Flat ?? price.Prices).Span), null, price.Prices) { Flat = price.Flat })))
            .Then(tier => K(RuleToken.Semicolon).Value(tier).OptionalOrDefault(tier));

    private static TokenListParser<RuleToken, ChargeClause> TierBlock(Token<RuleToken> kw, TierMode mode) =>
        ChargeModelGrammar.WhenUsed.Then(whenUsed => K(RuleToken.LBrace).IgnoreThen(Tier.AtLeastOnce()).Then(tiers =>
            K(RuleToken.RBrace).Named("tier or `}`")
                .Select(close => (ChargeClause)new TieredClause(Cover(kw, close), mode, NodeList.From(tiers)) { WhenUsed = whenUsed })));

    // `graduated percent of value { … }` shares its first word with `graduated { … }`.
    private static TokenListParser<RuleToken, ChargeClause> Tiered(RuleToken keyword, TierMode mode) =>
        K(keyword).Then(kw => mode == TierMode.Graduated
            ? ChargeModelGrammar.GraduatedPercentTail(kw).Or(TierBlock(kw, mode))
            : TierBlock(kw, mode));

    private static readonly TokenListParser<RuleToken, ChargeClause> Package =
        K(RuleToken.Package).Then(kw => NumberLit.Then(size => K(RuleToken.At).IgnoreThen(PriceList).Then(prices =>
            K(RuleToken.Round).IgnoreThen(K(RuleToken.Up).Or(K(RuleToken.Down)))
                .Select(direction => (ChargeClause)new PackageClause(Cover(kw, direction), size, prices, direction.Kind == RuleToken.Up)))));

    private static readonly TokenListParser<RuleToken, PriceList?> PercentMin =
        K(RuleToken.Min).IgnoreThen(PriceList).Select(prices => (PriceList?)prices).OptionalOrDefault(null);

    private static readonly TokenListParser<RuleToken, PriceList?> PercentMax =
        K(RuleToken.Max).IgnoreThen(PriceList).Select(prices => (PriceList?)prices).OptionalOrDefault(null);

    private static readonly TokenListParser<RuleToken, ChargeClause> PercentOfValue =
        K(RuleToken.PercentKeyword).Then(kw => PercentLit.Then(rate => K(RuleToken.Of).IgnoreThen(K(RuleToken.Value)).Then(value =>
            ChargeModelGrammar.Plus.Then(fee => PercentMin.Then(min => PercentMax.Select(max =>
                (ChargeClause)new PercentClause(Cover(kw, max?.Span ?? min?.Span ?? fee?.Span ?? value.ToSpan()), rate, min, max) { Fee = fee }))))));

    private static readonly TokenListParser<RuleToken, ChargeClause> Free =
        K(RuleToken.Free).Then(kw => NumberLit.Then(units => ChargeModelGrammar.FreeTail(kw, units)));

    private static readonly TokenListParser<RuleToken, ChargeClause> ChargeCap =
        K(RuleToken.Cap).Then(kw => PriceList.Select(prices => (ChargeClause)new ChargeCapClause(Cover(kw, prices.Span), prices)));

    private static readonly TokenListParser<RuleToken, ChargeClause> ChargeText =
        TextItem("label").Select(t => (ChargeClause)new ChargeTextClause(Cover(t.Word, t.Text.Span), false, t.Text))
            .Or(TextItem("description").Select(t => (ChargeClause)new ChargeTextClause(Cover(t.Word, t.Text.Span), true, t.Text)));

    private static readonly TokenListParser<RuleToken, ChargeClause> ChargeClause =
        Unit.Or(Tiered(RuleToken.Graduated, TierMode.Graduated)).Or(Tiered(RuleToken.Volume, TierMode.Volume))
            .Or(Package).Or(PercentOfValue).Or(Free).Or(ChargeCap).Or(AggregateGrammar.Aggregate).Or(ChargeModelGrammar.Dynamic).Or(ChargeText).Or(ScriptGrammar.ChargeModel);

    private static readonly TokenListParser<RuleToken, Expr?> Where =
        K(RuleToken.Where).IgnoreThen(Expression).Select(filter => (Expr?)filter).OptionalOrDefault(null);

    private static readonly TokenListParser<RuleToken, PricingItem> Charge =
        K(RuleToken.Charge).Then(kw => Name.Then(outcome => Where.Then(filter => Block(ChargeClause, "charge clause")
            .Select(block => (PricingItem)new ChargeItem(Cover(kw, block.Close), outcome, filter, block.Items)))));

    private static TokenListParser<RuleToken, PricingItem> PriceItem(RuleToken keyword, Func<RulesBilling.Dsl.Text.TextSpan, PriceList, PricingItem> make) =>
        K(keyword).Then(kw => PriceList.Select(prices => make(Cover(kw, prices.Span), prices)));

    private static readonly TokenListParser<RuleToken, GuardAction> GuardAction =
        K(RuleToken.Alert).Select(t => new GuardAction(t.ToSpan(), GuardActionKind.Alert, null))
            .Or(K(RuleToken.Hold).Select(t => new GuardAction(t.ToSpan(), GuardActionKind.Hold, null)))
            .Or(K(RuleToken.Cap).Then(kw => PriceList.Select(prices => new GuardAction(Cover(kw, prices.Span), GuardActionKind.Cap, prices))));

    private static TokenListParser<RuleToken, StringLiteral?> OptionalText(string word) =>
        TextItem(word).Select(t => (StringLiteral?)t.Text).OptionalOrDefault(null);

    private static readonly TokenListParser<RuleToken, PricingItem> Guard =
        K(RuleToken.Guard).Then(kw => Name.Then(name => K(RuleToken.Colon).IgnoreThen(Expression).Then(condition =>
            K(RuleToken.Then).IgnoreThen(GuardAction).Then(action => OptionalText("label").Then(label => OptionalText("description")
                .Select(description => (PricingItem)new GuardItem(
                    Cover(kw, description?.Span ?? label?.Span ?? action.Span), name, condition, action)
                    { Label = label, Description = description }))))));

    // `base P in advance` (advance is a contextual word): the fee is billed at the period's start (§10.7).
    private static readonly TokenListParser<RuleToken, PricingItem> Base =
        K(RuleToken.Base).Then(kw => PriceList.Then(prices =>
            K(RuleToken.In).IgnoreThen(Token.EqualToValue(RuleToken.Identifier, "advance").Named("`advance`")).Try()
                .Select(advance => (PricingItem)new BaseItem(Cover(kw, advance), prices) { InAdvance = true })
                .OptionalOrDefault(new BaseItem(Cover(kw, prices.Span), prices))));

    private static readonly TokenListParser<RuleToken, PricingItem> PricingItem =
        Base
            .Or(Charge)
            .Or(PriceItem(RuleToken.Minimum, (span, prices) => new MinimumItem(span, prices)))
            .Or(PriceItem(RuleToken.Cap, (span, prices) => new CapItem(span, prices)))
            .Or(Guard);

    // `extends` is a contextual word: `pricing growth extends launch { … }` (§9.13).
    private static readonly TokenListParser<RuleToken, Identifier?> Extends =
        Token.EqualToValue(RuleToken.Identifier, "extends").IgnoreThen(Name).Select(parent => (Identifier?)parent).OptionalOrDefault(null);

    private static readonly TokenListParser<RuleToken, Declaration> Pricing =
        K(RuleToken.Pricing).Then(kw => Name.Then(name => Extends.Then(parent => Block(PricingItem, "pricing item")
            .Select(block => (Declaration)new PricingDecl(Cover(kw, block.Close), name, block.Items) { Parent = parent }))));

    // ---- contract

    private static readonly TokenListParser<RuleToken, DateSyntax> Date =
        Token.EqualTo(RuleToken.Date).Select(t => new DateSyntax(t.ToSpan(),
            DateOnly.ParseExact(t.Span.ToStringValue(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

    private static readonly TokenListParser<RuleToken, ContractItem> Customers =
        K(RuleToken.Customers).Then(kw =>
            K(RuleToken.Default).Select(d => (ContractItem)new CustomersItem(Cover(kw, d), true, NodeList<StringLiteral>.Empty))
                .Or(StringLit.AtLeastOnceDelimitedBy(K(RuleToken.Comma))
                    .Select(names => (ContractItem)new CustomersItem(Cover(kw, names[^1].Span), false, NodeList.From(names)))));

    private static readonly TokenListParser<RuleToken, ContractItem> PricingRef =
        K(RuleToken.Pricing).Then(kw => Name.Select(name => (ContractItem)new PricingRefItem(Cover(kw, name.Span), name)));

    private static readonly TokenListParser<RuleToken, ContractItem> Currency =
        K(RuleToken.CurrencyKeyword).Then(kw => CurrencyCode.Select(code => (ContractItem)new CurrencyItem(Cover(kw, code.Span), code)));

    private static readonly TokenListParser<RuleToken, ContractItem> Period =
        K(RuleToken.Period).Then(kw =>
            K(RuleToken.Monthly).Then(monthly => K(RuleToken.Anchor).IgnoreThen(Integer)
                    .Select(anchor => (ContractItem)new PeriodItem(Cover(kw, anchor.Span), (int)anchor.Value, null))
                    .OptionalOrDefault(new PeriodItem(Cover(kw, monthly), null, null)))
                .Or(StringLit.Select(iso => (ContractItem)new PeriodItem(Cover(kw, iso.Span), null, iso))));

    private static readonly TokenListParser<RuleToken, ContractItem> Rounding =
        K(RuleToken.Round).Then(kw => K(RuleToken.To).IgnoreThen(MoneyLit).Select(increment => (ContractItem)new RoundingItem(Cover(kw, increment.Span), increment)));

    private static readonly TokenListParser<RuleToken, ContractItem> ContractItem =
        Customers.Or(PricingRef).Or(Currency).Or(Period).Or(Rounding).Or(PeriodGrammar.Timezone).Or(PeriodGrammar.Tiers).Or(CorrectionsGrammar.Corrections)
            .Or(PeriodGrammar.Thresholds).Or(FeatureGrammar.Features).Or(AdjustmentGrammar.CouponRef).Or(AdjustmentGrammar.TaxRef);

    private static readonly TokenListParser<RuleToken, DateSyntax?> Until =
        K(RuleToken.Until).IgnoreThen(Date).Select(date => (DateSyntax?)date).OptionalOrDefault(null);

    private static readonly TokenListParser<RuleToken, Declaration> Contract =
        K(RuleToken.Contract).Then(kw => Name.Then(name => K(RuleToken.Version).IgnoreThen(Integer).Then(version =>
            K(RuleToken.Effective).IgnoreThen(Date).Then(effective => Until.Then(until => Block(ContractItem, "contract item")
                .Select(block => (Declaration)new ContractDecl(Cover(kw, block.Close), name, version, effective, until, block.Items)))))));

    public static readonly TokenListParser<RuleToken, Declaration> Declaration =
        Event.Or(Outcome).Or(Cost).Or(Pricing).Or(Contract).Or(FeatureGrammar.Feature)
            .Or(AdjustmentGrammar.Coupon).Or(AdjustmentGrammar.Tax);

    /// <summary>True for the keywords that start a declaration; parsing resumes at one of them after an error.</summary>
    public static bool StartsDeclaration(RuleToken kind) =>
        kind is RuleToken.Event or RuleToken.Outcome or RuleToken.Cost or RuleToken.Pricing or RuleToken.Contract;
}
