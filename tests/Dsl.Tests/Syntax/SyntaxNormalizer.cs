using RulesBilling.Dsl.Syntax;

namespace RulesBilling.Dsl.Tests.Syntax;

/// <summary>Rewrites every span of a syntax tree to <c>default</c>, so trees compare by structure only.</summary>
internal static class SyntaxNormalizer
{
    public static RuleFile StripSpans(RuleFile file) => new(Map(file.Declarations, Strip));

    public static Expr StripSpans(Expr expression) => Strip(expression);

    private static NodeList<T> Map<T>(NodeList<T> items, Func<T, T> strip) => NodeList.From(items.Select(strip));

    private static Identifier Strip(Identifier id) => id with { Span = default };

    private static Declaration Strip(Declaration declaration) => declaration switch
    {
        EventDecl e => e with { Span = default, Name = Strip(e.Name), Fields = Map(e.Fields, Strip) },
        OutcomeDecl o => o with { Span = default, Name = Strip(o.Name), EventType = Strip(o.EventType), Clauses = Map(o.Clauses, Strip) },
        CostDecl c => c with { Span = default, Name = Strip(c.Name), EventType = Strip(c.EventType), Clauses = Map(c.Clauses, Strip) },
        PricingDecl p => p with { Span = default, Name = Strip(p.Name), Items = Map(p.Items, Strip) },
        ContractDecl k => k with
        {
            Span = default,
            Name = Strip(k.Name),
            Version = (NumberLiteral)Strip(k.Version),
            Effective = k.Effective with { Span = default },
            Until = k.Until is null ? null : k.Until with { Span = default },
            Items = Map(k.Items, Strip),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(declaration)),
    };

    private static FieldDecl Strip(FieldDecl field) =>
        field with { Span = default, Name = Strip(field.Name), Type = field.Type with { Span = default } };

    private static Clause Strip(Clause clause) => clause switch
    {
        WhenClause w => w with { Span = default, Condition = Strip(w.Condition) },
        KeyClause k => k with { Span = default, Key = Strip(k.Key), Within = k.Within is null ? null : (DurationLiteral)Strip(k.Within) },
        QuantityClause q => q with { Span = default, Quantity = Strip(q.Quantity) },
        ValueClause v => v with { Span = default, Value = Strip(v.Value) },
        AmountClause a => a with { Span = default, Amount = Strip(a.Amount) },
        DisqualifiedClause q => q with { Span = default, DisqualifyingEvent = Strip(q.DisqualifyingEvent), On = Strip(q.On), Where = q.Where is null ? null : Strip(q.Where) },
        HoldClause h => h with { Span = default, Window = (DurationLiteral)Strip(h.Window), ReversingEvent = Strip(h.ReversingEvent), On = Strip(h.On) },
        DimensionsClause d => d with
        {
            Span = default,
            Entries = Map(d.Entries, e => e with { Span = default, Name = Strip(e.Name), Value = Strip(e.Value) }),
        },
        SplitClause s => s with
        {
            Span = default,
            Dimension = Strip(s.Dimension),
            Shares = Map(s.Shares, share => share with { Span = default, Share = (PercentLiteral)Strip(share.Share), Target = Strip(share.Target) }),
        },
        ForClause f => f with { Span = default, Outcome = Strip(f.Outcome), On = f.On is null ? null : Strip(f.On) },
        _ => throw new ArgumentOutOfRangeException(nameof(clause)),
    };

    private static PriceList Strip(PriceList prices) =>
        prices with { Span = default, Prices = Map(prices.Prices, m => m with { Span = default }) };

    private static PriceList? StripOptional(PriceList? prices) => prices is null ? null : Strip(prices);

    private static PricingItem Strip(PricingItem item) => item switch
    {
        BaseItem b => b with { Span = default, Prices = Strip(b.Prices) },
        MinimumItem m => m with { Span = default, Prices = Strip(m.Prices) },
        CapItem c => c with { Span = default, Prices = Strip(c.Prices) },
        GuardItem g => g with
        {
            Span = default,
            Name = Strip(g.Name),
            Condition = Strip(g.Condition),
            Action = g.Action with { Span = default, CapAmount = StripOptional(g.Action.CapAmount) },
        },
        ChargeItem c => c with
        {
            Span = default,
            Outcome = Strip(c.Outcome),
            Where = c.Where is null ? null : Strip(c.Where),
            Clauses = Map(c.Clauses, Strip),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(item)),
    };

    private static ChargeClause Strip(ChargeClause clause) => clause switch
    {
        UnitClause u => u with { Span = default, Prices = Strip(u.Prices) },
        TieredClause t => t with
        {
            Span = default,
            Tiers = Map(t.Tiers, tier => tier with
            {
                Span = default,
                UpTo = tier.UpTo is null ? null : (NumberLiteral)Strip(tier.UpTo),
                Prices = Strip(tier.Prices),
            }),
        },
        PackageClause p => p with { Span = default, Size = (NumberLiteral)Strip(p.Size), Prices = Strip(p.Prices) },
        PercentClause p => p with { Span = default, Rate = (PercentLiteral)Strip(p.Rate), Min = StripOptional(p.Min), Max = StripOptional(p.Max) },
        FreeClause f => f with { Span = default, Units = (NumberLiteral)Strip(f.Units) },
        ChargeCapClause c => c with { Span = default, Prices = Strip(c.Prices) },
        _ => throw new ArgumentOutOfRangeException(nameof(clause)),
    };

    private static ContractItem Strip(ContractItem item) => item switch
    {
        CustomersItem c => c with { Span = default, Customers = Map(c.Customers, s => s with { Span = default }) },
        PricingRefItem p => p with { Span = default, Pricing = Strip(p.Pricing) },
        CurrencyItem c => c with { Span = default, Currency = Strip(c.Currency) },
        PeriodItem p => p with { Span = default, IsoDuration = p.IsoDuration is null ? null : p.IsoDuration with { Span = default } },
        RoundingItem r => r with { Span = default, Increment = (MoneyLiteral)Strip(r.Increment) },
        CorrectionsItem c => c with { Span = default, Mode = Strip(c.Mode) },
        _ => throw new ArgumentOutOfRangeException(nameof(item)),
    };

    private static Expr Strip(Expr expression) => expression switch
    {
        UnaryExpr u => u with { Span = default, Operand = Strip(u.Operand) },
        BinaryExpr b => b with { Span = default, Left = Strip(b.Left), Right = Strip(b.Right) },
        InExpr i => i with { Span = default, Value = Strip(i.Value), Items = Map(i.Items, Strip) },
        IfExpr i => i with { Span = default, Condition = Strip(i.Condition), Then = Strip(i.Then), Else = Strip(i.Else) },
        CallExpr c => c with { Span = default, Arguments = Map(c.Arguments, Strip) },
        _ => expression with { Span = default },
    };
}
