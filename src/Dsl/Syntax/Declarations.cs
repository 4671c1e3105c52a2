using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Syntax;

// Declaration syntax: the grammar of docs/dsl-spec.md §2, one record per production.

/// <summary>A name as written, with its span. Event type names keep their dots (<c>ticket.resolved</c>).</summary>
internal sealed record Identifier(TextSpan Span, string Text);

internal sealed record RuleFile(NodeList<Declaration> Declarations);

internal abstract record Declaration(TextSpan Span, Identifier Name);

// ---- event schemas

internal enum FieldTypeKind { String, Decimal, Integer, Bool, Timestamp, Duration, Money }

internal sealed record TypeSyntax(TextSpan Span, FieldTypeKind Kind, string? Currency);

internal sealed record FieldDecl(TextSpan Span, Identifier Name, TypeSyntax Type, bool Optional);

internal sealed record EventDecl(TextSpan Span, Identifier Name, NodeList<FieldDecl> Fields) : Declaration(Span, Name);

// ---- outcome and cost clauses

internal abstract record Clause(TextSpan Span);

internal sealed record WhenClause(TextSpan Span, Expr Condition) : Clause(Span);

internal sealed record KeyClause(TextSpan Span, Expr Key, DurationLiteral? Within) : Clause(Span);

internal sealed record QuantityClause(TextSpan Span, Expr Quantity) : Clause(Span);

internal sealed record ValueClause(TextSpan Span, Expr Value) : Clause(Span);

internal sealed record HoldClause(TextSpan Span, DurationLiteral Window, Identifier ReversingEvent, Expr On) : Clause(Span);

/// <summary><c>disqualified by E on KEY [where COND]</c>: an event of type E whose key matches excludes the key forever (docs/dsl-spec.md §7.8).</summary>
internal sealed record DisqualifiedClause(TextSpan Span, Identifier DisqualifyingEvent, Expr On, Expr? Where) : Clause(Span);

internal sealed record DimensionEntry(TextSpan Span, Identifier Name, Expr Value);

internal sealed record DimensionsClause(TextSpan Span, NodeList<DimensionEntry> Entries) : Clause(Span);

internal sealed record SplitShare(TextSpan Span, PercentLiteral Share, Expr Target);

internal sealed record SplitClause(TextSpan Span, Identifier Dimension, NodeList<SplitShare> Shares) : Clause(Span);

internal sealed record AmountClause(TextSpan Span, Expr Amount) : Clause(Span);

/// <summary><c>label "…"</c>: the name a customer reads on the invoice instead of the rule's identifier.</summary>
internal sealed record LabelClause(TextSpan Span, StringLiteral Text) : Clause(Span);

/// <summary><c>description "…"</c>: one sentence a customer reads under the label.</summary>
internal sealed record DescriptionClause(TextSpan Span, StringLiteral Text) : Clause(Span);

/// <summary><c>for outcome [on keyExpr]</c> in a cost: attributes the cost to an outcome (and its key).</summary>
internal sealed record ForClause(TextSpan Span, Identifier Outcome, Expr? On) : Clause(Span);

internal sealed record OutcomeDecl(TextSpan Span, Identifier Name, Identifier EventType, NodeList<Clause> Clauses) : Declaration(Span, Name);

internal sealed record CostDecl(TextSpan Span, Identifier Name, Identifier EventType, NodeList<Clause> Clauses) : Declaration(Span, Name);

// ---- pricing

/// <summary>One or more prices of the same thing in different currencies: <c>5 USD, 4.60 EUR</c>.</summary>
internal sealed record PriceList(TextSpan Span, NodeList<MoneyLiteral> Prices);

internal abstract record PricingItem(TextSpan Span);

internal sealed record BaseItem(TextSpan Span, PriceList Prices) : PricingItem(Span)
{
    /// <summary><c>base P in advance</c>: the period's fee is billed in full at its start (docs/dsl-spec.md §10.7).</summary>
    public bool InAdvance { get; init; }
}

internal sealed record ChargeItem(TextSpan Span, Identifier Outcome, Expr? Where, NodeList<ChargeClause> Clauses) : PricingItem(Span);

internal sealed record MinimumItem(TextSpan Span, PriceList Prices) : PricingItem(Span);

internal sealed record CapItem(TextSpan Span, PriceList Prices) : PricingItem(Span);

internal enum GuardActionKind { Alert, Hold, Cap }

internal sealed record GuardAction(TextSpan Span, GuardActionKind Kind, PriceList? CapAmount);

internal sealed record GuardItem(TextSpan Span, Identifier Name, Expr Condition, GuardAction Action) : PricingItem(Span)
{
    /// <summary>The <c>label "…"</c> after the action, if any.</summary>
    public StringLiteral? Label { get; init; }

    /// <summary>The <c>description "…"</c> after the action (and label), if any.</summary>
    public StringLiteral? Description { get; init; }
}

internal abstract record ChargeClause(TextSpan Span);

internal sealed record UnitClause(TextSpan Span, PriceList Prices) : ChargeClause(Span);

internal enum TierMode { Graduated, Volume }

/// <summary>A tier with an inclusive upper bound; <see cref="UpTo"/> is null for the final <c>rest</c> tier.</summary>
internal sealed record Tier(TextSpan Span, NumberLiteral? UpTo, PriceList Prices)
{
    /// <summary>The tier's flat fee: <c>at 1 USD plus 10 USD</c>, or <c>flat 10 USD</c> (then <see cref="Prices"/> is zero).</summary>
    public PriceList? Flat { get; init; }
}

internal sealed record TieredClause(TextSpan Span, TierMode Mode, NodeList<Tier> Tiers) : ChargeClause(Span)
{
    /// <summary><c>graduated when used { … }</c>: the first tier's flat fee is waived when nothing is billed.</summary>
    public bool WhenUsed { get; init; }
}

internal sealed record PackageClause(TextSpan Span, NumberLiteral Size, PriceList Prices, bool RoundUp) : ChargeClause(Span);

internal sealed record PercentClause(TextSpan Span, PercentLiteral Rate, PriceList? Min, PriceList? Max) : ChargeClause(Span)
{
    /// <summary><c>percent 2.9% of value plus 0.30 USD</c>: a fixed fee per outcome, added before the min/max clamp.</summary>
    public PriceList? Fee { get; init; }
}

internal sealed record FreeClause(TextSpan Span, NumberLiteral Units) : ChargeClause(Span);

internal sealed record ChargeCapClause(TextSpan Span, PriceList Prices) : ChargeClause(Span);

/// <summary><c>label "…"</c> or (<see cref="IsDescription"/>) <c>description "…"</c> inside a charge.</summary>
internal sealed record ChargeTextClause(TextSpan Span, bool IsDescription, StringLiteral Text) : ChargeClause(Span);

internal sealed record PricingDecl(TextSpan Span, Identifier Name, NodeList<PricingItem> Items) : Declaration(Span, Name)
{
    /// <summary><c>pricing growth extends launch</c>: the pricing it inherits what it does not declare from (§9.13).</summary>
    public Identifier? Parent { get; init; }
}

// ---- contracts

internal sealed record DateSyntax(TextSpan Span, DateOnly Value);

internal abstract record ContractItem(TextSpan Span);

/// <summary><c>customers default</c> (IsDefault, empty list) or <c>customers "acme", "globex"</c>.</summary>
internal sealed record CustomersItem(TextSpan Span, bool IsDefault, NodeList<StringLiteral> Customers) : ContractItem(Span);

internal sealed record PricingRefItem(TextSpan Span, Identifier Pricing) : ContractItem(Span);

internal sealed record CurrencyItem(TextSpan Span, Identifier Currency) : ContractItem(Span);

/// <summary><c>period monthly [anchor N]</c> (IsoDuration null) or <c>period "P3M"</c> (Anchor null).</summary>
/// <summary><c>round to 0.010 KWD</c>: the increment invoice lines are rounded to.</summary>
internal sealed record RoundingItem(TextSpan Span, MoneyLiteral Increment) : ContractItem(Span);

internal sealed record PeriodItem(TextSpan Span, int? Anchor, StringLiteral? IsoDuration) : ContractItem(Span);

internal sealed record ContractDecl(
    TextSpan Span,
    Identifier Name,
    NumberLiteral Version,
    DateSyntax Effective,
    DateSyntax? Until,
    NodeList<ContractItem> Items) : Declaration(Span, Name);
