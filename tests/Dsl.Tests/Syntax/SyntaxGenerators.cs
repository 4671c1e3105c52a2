using FsCheck;
using FsCheck.Fluent;
using RulesBilling.Dsl.Syntax;

namespace RulesBilling.Dsl.Tests.Syntax;

/// <summary>
/// Random syntax trees inside the grammar, with default spans. Depth is bounded so trees stay within the
/// parser's nesting limits; every tree the generators make is printable and parses back.
/// </summary>
internal static class SyntaxGenerators
{
    private static readonly Gen<string> Names = Gen.Elements("a", "b", "status", "ticket_id", "x1", "_tmp", "fee", "Amount");
    // Field and dimension names may be keywords: the printer quotes them (`amount`), the parser unquotes them.
    private static readonly Gen<string> FieldNames = Gen.OneOf(Names, Gen.Elements("amount", "key", "value", "when", "quantity", "min", "event", "has", "true", "money"));
    private static readonly Gen<string> Functions = Gen.Elements("lower", "min", "max", "round", "cost", "count", "f");
    private static readonly Gen<string> Currencies = Gen.Elements("USD", "EUR", "JPY", "KWD");
    private static readonly Gen<string> EventNames = Gen.Elements("e", "ticket.resolved", "llm.usage", "a.cost.reversed");
    private static readonly Gen<string> MetaNames = Gen.Elements("id", "source", "type", "subject", "time");

    /// <summary>Non-negative decimals with 0–4 written decimal places (the scale must survive the round trip).</summary>
    public static readonly Gen<decimal> Decimals =
        from digits in Gen.Choose(0, 2_000_000)
        from scale in Gen.Choose(0, 4)
        select new decimal(digits, 0, 0, false, (byte)scale);

    private static readonly Gen<decimal> Integers = Gen.Choose(0, 100_000).Select(i => (decimal)i);

    private static readonly Gen<string> Strings =
        Gen.Elements('a', 'Z', ' ', '"', '\\', '\n', '\t', 'é', '€', '-', '%').ArrayOf().Select(chars => new string(chars));

    private static readonly Gen<Identifier> Ids = Names.Select(n => new Identifier(default, n));
    private static readonly Gen<Identifier> FieldIds = FieldNames.Select(n => new Identifier(default, n));

    private static readonly Gen<NumberLiteral> Numbers = Decimals.Select(d => new NumberLiteral(default, d));
    private static readonly Gen<PercentLiteral> Percents = Decimals.Select(d => new PercentLiteral(default, d));

    private static readonly Gen<DurationLiteral> Durations =
        from amount in Decimals
        from unit in Gen.Elements(DurationUnit.Days, DurationUnit.Hours, DurationUnit.Minutes, DurationUnit.Seconds)
        select new DurationLiteral(default, amount, unit);

    private static readonly Gen<MoneyLiteral> Money =
        from amount in Decimals
        from currency in Currencies
        select new MoneyLiteral(default, amount, currency);

    private static readonly Gen<StringLiteral> StringLiterals = Strings.Select(s => new StringLiteral(default, s));

    private static readonly Gen<Expr> Leaves = Gen.OneOf(
        Numbers.Select(n => (Expr)n),
        Percents.Select(p => (Expr)p),
        Durations.Select(d => (Expr)d),
        Money.Select(m => (Expr)m),
        StringLiterals.Select(s => (Expr)s),
        Gen.Elements(true, false).Select(b => (Expr)new BoolLiteral(default, b)),
        Gen.Constant((Expr)new NullLiteral(default)),
        FieldNames.Select(n => (Expr)new NameExpr(default, n)),
        MetaNames.Select(n => (Expr)new MetaExpr(default, n)),
        FieldNames.Select(n => (Expr)new HasExpr(default, n)));

    private static readonly BinaryOp[] BinaryOps = Enum.GetValues<BinaryOp>();

    private static Gen<NodeList<T>> ListOf<T>(Gen<T> item, int min, int max) =>
        from count in Gen.Choose(min, max)
        from items in item.ArrayOf(count)
        select NodeList.From(items);

    private static Gen<Expr> Tree(int depth)
    {
        if (depth <= 0) return Leaves;
        var child = Tree(depth - 1);
        var nodes = Gen.OneOf(
            from op in Gen.Elements(UnaryOp.Negate, UnaryOp.Not)
            from operand in child
            select (Expr)new UnaryExpr(default, op, operand),
            from op in Gen.Elements(BinaryOps)
            from left in child
            from right in child
            select (Expr)new BinaryExpr(default, op, left, right),
            from value in child
            from items in ListOf(child, 0, 3)
            from negated in Gen.Elements(true, false)
            select (Expr)new InExpr(default, value, items, negated),
            from condition in child
            from then in child
            from otherwise in child
            select (Expr)new IfExpr(default, condition, then, otherwise),
            from function in Functions
            from args in ListOf(child, 0, 3)
            select (Expr)new CallExpr(default, function, args));
        return Gen.Frequency((1, Leaves), (3, nodes));
    }

    public static readonly Gen<Expr> Expressions = Gen.Sized(size => Tree(Math.Min(size / 20, 5)));

    private static readonly Gen<Expr> SmallExpressions = Gen.Sized(size => Tree(Math.Min(size / 30, 3)));

    // ---- declarations

    private static readonly Gen<PriceList> PriceLists = ListOf(Money, 1, 3).Select(prices => new PriceList(default, prices));

    private static readonly Gen<PriceList?> OptionalPriceLists = Gen.OneOf(Gen.Constant<PriceList?>(null), PriceLists.Select(p => (PriceList?)p));

    private static readonly Gen<Expr?> OptionalExpressions = Gen.OneOf(Gen.Constant<Expr?>(null), SmallExpressions.Select(e => (Expr?)e));

    private static readonly Gen<FieldDecl> Fields =
        from name in FieldIds
        from kind in Gen.Elements(Enum.GetValues<FieldTypeKind>())
        from currency in Currencies
        from optional in Gen.Elements(true, false)
        select new FieldDecl(default, name, new TypeSyntax(default, kind, kind == FieldTypeKind.Money ? currency : null), optional);

    private static readonly Gen<DimensionEntry> DimensionEntries =
        from name in FieldIds
        from value in SmallExpressions
        select new DimensionEntry(default, name, value);

    private static readonly Gen<Clause> DimensionsClauses = ListOf(DimensionEntries, 1, 3).Select(entries => (Clause)new DimensionsClause(default, entries));

    private static readonly Gen<Clause> WhenClauses = SmallExpressions.Select(e => (Clause)new WhenClause(default, e));

    private static readonly Gen<Clause> OutcomeClauses = Gen.OneOf(
        WhenClauses,
        from key in SmallExpressions
        from within in Gen.OneOf(Gen.Constant<DurationLiteral?>(null), Durations.Select(d => (DurationLiteral?)d))
        select (Clause)new KeyClause(default, key, within),
        SmallExpressions.Select(e => (Clause)new QuantityClause(default, e)),
        SmallExpressions.Select(e => (Clause)new ValueClause(default, e)),
        from window in Durations
        from reversing in EventNames
        from onKey in SmallExpressions
        select (Clause)new HoldClause(default, window, new Identifier(default, reversing), onKey),
        from disqualifying in EventNames
        from onKey in SmallExpressions
        from condition in OptionalExpressions
        select (Clause)new DisqualifiedClause(default, new Identifier(default, disqualifying), onKey, condition),
        DimensionsClauses,
        from dimension in FieldIds
        from shares in ListOf(
            from share in Percents
            from target in SmallExpressions
            select new SplitShare(default, share, target), 1, 3)
        select (Clause)new SplitClause(default, dimension, shares));

    private static readonly Gen<Clause> CostClauses = Gen.OneOf(
        WhenClauses,
        SmallExpressions.Select(e => (Clause)new AmountClause(default, e)),
        from outcome in Ids
        from onKey in OptionalExpressions
        select (Clause)new ForClause(default, outcome, onKey),
        DimensionsClauses);

    private static readonly Gen<Tier> Tiers =
        from upTo in Gen.OneOf(Gen.Constant<NumberLiteral?>(null), Numbers.Select(n => (NumberLiteral?)n))
        from prices in PriceLists
        select new Tier(default, upTo, prices);

    private static readonly Gen<ChargeClause> ChargeClauses = Gen.OneOf(
        PriceLists.Select(p => (ChargeClause)new UnitClause(default, p)),
        from mode in Gen.Elements(TierMode.Graduated, TierMode.Volume)
        from tiers in ListOf(Tiers, 1, 4)
        select (ChargeClause)new TieredClause(default, mode, tiers),
        from size in Numbers
        from prices in PriceLists
        from up in Gen.Elements(true, false)
        select (ChargeClause)new PackageClause(default, size, prices, up),
        from rate in Percents
        from min in OptionalPriceLists
        from max in OptionalPriceLists
        select (ChargeClause)new PercentClause(default, rate, min, max),
        Numbers.Select(n => (ChargeClause)new FreeClause(default, n)),
        PriceLists.Select(p => (ChargeClause)new ChargeCapClause(default, p)));

    private static readonly Gen<GuardAction> GuardActions = Gen.OneOf(
        Gen.Constant(new GuardAction(default, GuardActionKind.Alert, null)),
        Gen.Constant(new GuardAction(default, GuardActionKind.Hold, null)),
        PriceLists.Select(p => new GuardAction(default, GuardActionKind.Cap, p)));

    private static readonly Gen<PricingItem> PricingItems = Gen.OneOf(
        PriceLists.Select(p => (PricingItem)new BaseItem(default, p)),
        PriceLists.Select(p => (PricingItem)new MinimumItem(default, p)),
        PriceLists.Select(p => (PricingItem)new CapItem(default, p)),
        from name in Ids
        from condition in SmallExpressions
        from action in GuardActions
        select (PricingItem)new GuardItem(default, name, condition, action),
        from outcome in Ids
        from filter in OptionalExpressions
        from clauses in ListOf(ChargeClauses, 0, 4)
        select (PricingItem)new ChargeItem(default, outcome, filter, clauses));

    private static readonly Gen<DateSyntax> Dates =
        Gen.Choose(0, 365 * 200).Select(days => new DateSyntax(default, new DateOnly(1990, 1, 1).AddDays(days)));

    private static readonly Gen<ContractItem> ContractItems = Gen.OneOf(
        Gen.Constant((ContractItem)new CustomersItem(default, true, NodeList<StringLiteral>.Empty)),
        ListOf(StringLiterals, 1, 3).Select(names => (ContractItem)new CustomersItem(default, false, names)),
        Ids.Select(id => (ContractItem)new PricingRefItem(default, id)),
        Currencies.Select(c => (ContractItem)new CurrencyItem(default, new Identifier(default, c))),
        Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(1, 31).Select(a => (int?)a)).Select(anchor => (ContractItem)new PeriodItem(default, anchor, null)),
        Gen.Elements("P1W", "P3M", "P1Y").Select(iso => (ContractItem)new PeriodItem(default, null, new StringLiteral(default, iso))),
        Money.Select(m => (ContractItem)new RoundingItem(default, m)),
        Gen.Elements("net", "reverse_and_rebill").Select(mode => (ContractItem)new CorrectionsItem(default, new Identifier(default, mode))));

    private static readonly Gen<Declaration> Declarations = Gen.OneOf(
        from name in EventNames
        from fields in ListOf(Fields, 0, 4)
        select (Declaration)new EventDecl(default, new Identifier(default, name), fields),
        from name in Ids
        from eventType in EventNames
        from clauses in ListOf(OutcomeClauses, 0, 5)
        select (Declaration)new OutcomeDecl(default, name, new Identifier(default, eventType), clauses),
        from name in Ids
        from eventType in EventNames
        from clauses in ListOf(CostClauses, 0, 4)
        select (Declaration)new CostDecl(default, name, new Identifier(default, eventType), clauses),
        from name in Ids
        from items in ListOf(PricingItems, 0, 5)
        select (Declaration)new PricingDecl(default, name, items),
        from name in Ids
        from version in Integers
        from effective in Dates
        from until in Gen.OneOf(Gen.Constant<DateSyntax?>(null), Dates.Select(d => (DateSyntax?)d))
        from items in ListOf(ContractItems, 0, 4)
        select (Declaration)new ContractDecl(default, name, new NumberLiteral(default, version), effective, until, items));

    public static readonly Gen<RuleFile> Files = ListOf(Declarations, 0, 6).Select(declarations => new RuleFile(declarations));

    // ---- token soup: every kind of token, in any order

    private static readonly string[] Vocabulary =
    [
        .. Keywords.All,
        "{", "}", "(", ")", "[", "]", ",", ":", ".", "?", ";", "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "??",
        "x", "ticket_id", "`amount`", "`key`", "`", "USD", "EUR", "1", "2.50", "10_000", "70%", "7d", "24h", "90m", "30s", "2026-01-01", "\"s\"", "\"a\\\"b\"",
        "// note\n", "\n",
    ];

    public static readonly Gen<string> TokenSoup =
        from words in Gen.Elements(Vocabulary).ArrayOf()
        select string.Join(' ', words);
}
