using System.Globalization;
using System.Text;

namespace RulesBilling.Dsl.Syntax;

/// <summary>
/// Canonical formatting of a syntax tree: two-space indent, one clause per line, a blank line between
/// declarations, and only the parentheses precedence requires. The output parses back to the same tree.
/// </summary>
internal static class RulePrinter
{
    public static string Print(RuleFile file)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < file.Declarations.Count; i++)
        {
            if (i > 0) sb.Append('\n');
            Declaration(sb, file.Declarations[i]);
        }

        return sb.ToString();
    }

    public static string Print(Expr expression)
    {
        var sb = new StringBuilder();
        Expression(sb, expression, Precedence.Expression);
        return sb.ToString();
    }

    // Binding strength of each grammar level (docs/dsl-spec.md §3), loosest first.
    private enum Precedence { Expression, Or, And, Not, Comparison, Coalesce, Additive, Multiplicative, Unary, Primary }

    private static void Declaration(StringBuilder sb, Declaration declaration)
    {
        switch (declaration)
        {
            case EventDecl e:
                sb.Append("event ").Append(e.Name.Text).Append(" {\n");
                foreach (var field in e.Fields)
                {
                    sb.Append("  ").Append(Name(field.Name.Text)).Append(": ").Append(Type(field.Type));
                    if (field.Optional) sb.Append('?');
                    sb.Append('\n');
                }

                break;
            case OutcomeDecl o:
                sb.Append("outcome ").Append(o.Name.Text).Append(" from ").Append(o.EventType.Text).Append(" {\n");
                foreach (var clause in o.Clauses) Clause(sb, clause);
                break;
            case CostDecl c:
                sb.Append("cost ").Append(c.Name.Text).Append(" from ").Append(c.EventType.Text).Append(" {\n");
                foreach (var clause in c.Clauses) Clause(sb, clause);
                break;
            case PricingDecl p:
                sb.Append("pricing ").Append(p.Name.Text);
                if (p.Parent is { } parent) sb.Append(" extends ").Append(parent.Text);
                sb.Append(" {\n");
                foreach (var item in p.Items) PricingItem(sb, item);
                break;
            case ContractDecl k:
                sb.Append("contract ").Append(k.Name.Text)
                    .Append(" version ").Append(Number(k.Version.Value))
                    .Append(" effective ").Append(Date(k.Effective));
                if (k.Until is not null) sb.Append(" until ").Append(Date(k.Until));
                sb.Append(" {\n");
                foreach (var item in k.Items) ContractItem(sb, item);
                break;
            case CouponDecl c:
                sb.Append("coupon ").Append(c.Name.Text).Append(" {\n");
                foreach (var item in c.Items) AdjustmentItem(sb, item);
                break;
            case TaxDecl t:
                sb.Append("tax ").Append(t.Name.Text).Append(" {\n");
                foreach (var item in t.Items) AdjustmentItem(sb, item);
                break;
            case FeatureDecl f:
                // One line, no block: the closing brace below must not be written.
                sb.Append(FeaturePrinter.Declaration(f)).Append('\n');
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(declaration), declaration.GetType().Name, "unknown declaration");
        }

        sb.Append("}\n");
    }

    private static string Type(TypeSyntax type) => type.Kind switch
    {
        FieldTypeKind.String => "string",
        FieldTypeKind.Decimal => "decimal",
        FieldTypeKind.Integer => "integer",
        FieldTypeKind.Bool => "bool",
        FieldTypeKind.Timestamp => "timestamp",
        FieldTypeKind.Duration => "duration",
        _ => "money " + type.Currency,
    };

    private static void Clause(StringBuilder sb, Clause clause)
    {
        sb.Append("  ");
        switch (clause)
        {
            case LabelClause l:
                sb.Append("label ");
                Expression(sb, l.Text, Precedence.Expression);
                break;
            case DescriptionClause d:
                sb.Append("description ");
                Expression(sb, d.Text, Precedence.Expression);
                break;
            case WhenClause w:
                sb.Append("when ");
                Expression(sb, w.Condition, Precedence.Expression);
                break;
            case KeyClause k:
                sb.Append("key ");
                Expression(sb, k.Key, Precedence.Expression);
                if (k.Within is not null) sb.Append(" within ").Append(Duration(k.Within));
                break;
            case QuantityClause q:
                sb.Append("quantity ");
                Expression(sb, q.Quantity, Precedence.Expression);
                break;
            case ValueClause v:
                sb.Append("value ");
                Expression(sb, v.Value, Precedence.Expression);
                break;
            case AmountClause a:
                sb.Append("amount ");
                Expression(sb, a.Amount, Precedence.Expression);
                break;
            case HoldClause h:
                sb.Append("hold ").Append(Duration(h.Window)).Append(" reversed by ").Append(h.ReversingEvent.Text).Append(" on ");
                Expression(sb, h.On, Precedence.Expression);
                break;
            case DisqualifiedClause q:
                sb.Append("disqualified by ").Append(q.DisqualifyingEvent.Text).Append(" on ");
                Expression(sb, q.On, Precedence.Expression);
                if (q.Where is { } where)
                {
                    sb.Append(" where ");
                    Expression(sb, where, Precedence.Expression);
                }
                break;
            case DimensionsClause d:
                sb.Append("dimensions { ");
                for (var i = 0; i < d.Entries.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    sb.Append(Name(d.Entries[i].Name.Text)).Append(": ");
                    Expression(sb, d.Entries[i].Value, Precedence.Expression);
                }

                sb.Append(" }");
                break;
            case SplitClause s:
                sb.Append("split ").Append(Name(s.Dimension.Text)).Append(" { ");
                for (var i = 0; i < s.Shares.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    sb.Append(Percent(s.Shares[i].Share)).Append(" to ");
                    Expression(sb, s.Shares[i].Target, Precedence.Expression);
                }

                sb.Append(" }");
                break;
            case ForClause f:
                sb.Append("for ").Append(f.Outcome.Text);
                if (f.On is not null)
                {
                    sb.Append(" on ");
                    Expression(sb, f.On, Precedence.Expression);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(clause), clause.GetType().Name, "unknown clause");
        }

        sb.Append('\n');
    }

    private static void PricingItem(StringBuilder sb, PricingItem item)
    {
        sb.Append("  ");
        switch (item)
        {
            case BaseItem b:
                sb.Append("base ").Append(Prices(b.Prices));
                if (b.InAdvance) sb.Append(" in advance");
                break;
            case MinimumItem m:
                sb.Append("minimum ").Append(Prices(m.Prices));
                break;
            case CapItem c:
                sb.Append("cap ").Append(Prices(c.Prices));
                break;
            case GuardItem g:
                sb.Append("guard ").Append(g.Name.Text).Append(": ");
                Expression(sb, g.Condition, Precedence.Expression);
                sb.Append(" then ").Append(g.Action.Kind switch
                {
                    GuardActionKind.Alert => "alert",
                    GuardActionKind.Hold => "hold",
                    _ => "cap " + Prices(g.Action.CapAmount!),
                });
                if (g.Label is not null)
                {
                    sb.Append(" label ");
                    Expression(sb, g.Label, Precedence.Expression);
                }
                if (g.Description is not null)
                {
                    sb.Append(" description ");
                    Expression(sb, g.Description, Precedence.Expression);
                }
                break;
            case ChargeItem charge:
                sb.Append("charge ").Append(charge.Outcome.Text);
                if (charge.Where is not null)
                {
                    sb.Append(" where ");
                    Expression(sb, charge.Where, Precedence.Expression);
                }

                sb.Append(" {\n");
                foreach (var clause in charge.Clauses) ChargeClause(sb, clause);
                sb.Append("  }");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(item), item.GetType().Name, "unknown pricing item");
        }

        sb.Append('\n');
    }

    private static void ChargeClause(StringBuilder sb, ChargeClause clause)
    {
        sb.Append("    ");
        switch (clause)
        {
            case UnitClause u:
                sb.Append("unit ").Append(Prices(u.Prices));
                break;
            case TieredClause t:
                sb.Append(t.Mode == TierMode.Graduated ? "graduated" : "volume").Append(t.WhenUsed ? " when used" : "").Append(" {\n");
                foreach (var tier in t.Tiers)
                {
                    sb.Append("      ")
                        .Append(tier.UpTo is null ? "rest" : "up to " + Number(tier.UpTo.Value))
                        .Append(" at ").Append(Prices(tier.Prices));
                    if (tier.Flat is not null) sb.Append(" plus ").Append(Prices(tier.Flat));
                    sb.Append('\n');
                }

                sb.Append("    }");
                break;
            case PackageClause p:
                sb.Append("package ").Append(Number(p.Size.Value)).Append(" at ").Append(Prices(p.Prices))
                    .Append(p.RoundUp ? " round up" : " round down");
                break;
            case PercentClause p:
                sb.Append("percent ").Append(Percent(p.Rate)).Append(" of value");
                if (p.Fee is not null) sb.Append(" plus ").Append(Prices(p.Fee));
                if (p.Min is not null) sb.Append(" min ").Append(Prices(p.Min));
                if (p.Max is not null) sb.Append(" max ").Append(Prices(p.Max));
                break;
            case FreeClause f:
                sb.Append("free ").Append(Number(f.Units.Value));
                break;
            case FreeAmountClause f:
                sb.Append("free ").Append(Prices(f.Amount));
                break;
            case DynamicClause d:
                sb.Append(d.PerUnit ? "dynamic value per unit" : "dynamic value");
                if (d.Multiplier is not null) sb.Append(" times ").Append(Number(d.Multiplier.Value));
                break;
            case GraduatedPercentClause g:
                sb.Append("graduated percent of value").Append(g.WhenUsed ? " when used" : "").Append(" {\n");
                foreach (var tier in g.Tiers)
                {
                    sb.Append("      ")
                        .Append(tier.UpTo is null ? "rest" : "up to " + Prices(tier.UpTo))
                        .Append(" at ").Append(Percent(tier.Rate));
                    if (tier.Flat is not null) sb.Append(" plus ").Append(Prices(tier.Flat));
                    sb.Append('\n');
                }

                sb.Append("    }");
                break;
            case ChargeCapClause c:
                sb.Append("cap ").Append(Prices(c.Prices));
                break;
            case ScriptChargeClause s:
                sb.Append("script ").Append(Script(s.Source));
                break;
            case AggregateClause a:
                sb.Append("aggregate ").Append(a.Function.Text);
                if (a.Of is not null)
                {
                    sb.Append(" of ");
                    Expression(sb, a.Of, Precedence.Expression);
                }
                if (a.Bucket is not null) sb.Append(" per ").Append(a.Bucket.Text).Append(a.PricedSeparately ? " priced separately" : "");
                break;
            case ChargeTextClause t:
                sb.Append(t.IsDescription ? "description " : "label ");
                Expression(sb, t.Text, Precedence.Expression);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(clause), clause.GetType().Name, "unknown charge clause");
        }

        sb.Append('\n');
    }

    private static void ContractItem(StringBuilder sb, ContractItem item)
    {
        sb.Append("  ");
        switch (item)
        {
            case CustomersItem c:
                sb.Append("customers ").Append(c.IsDefault ? "default" : string.Join(", ", c.Customers.Select(s => Quote(s.Value))));
                break;
            case PricingRefItem p:
                sb.Append("pricing ").Append(p.Pricing.Text);
                break;
            case CurrencyItem c:
                sb.Append("currency ").Append(c.Currency.Text);
                break;
            case PeriodItem p when p.IsoDuration is not null:
                sb.Append("period ").Append(Quote(p.IsoDuration.Value));
                break;
            case PeriodItem p:
                sb.Append("period monthly");
                if (p.Anchor is { } anchor) sb.Append(" anchor ").Append(anchor.ToString(CultureInfo.InvariantCulture));
                break;
            case RoundingItem r:
                sb.Append("round to ").Append(Money(r.Increment));
                break;
            case TimezoneItem t:
                sb.Append("timezone ").Append(Quote(t.Zone.Value));
                break;
            case TiersItem t:
                sb.Append("tiers ").Append(t.Mode.Text);
                break;
            case CorrectionsItem c:
                sb.Append("corrections ").Append(c.Mode.Text);
                break;
            case ThresholdsItem t:
                sb.Append("thresholds ").Append(string.Join(", ", t.Amounts.Select(Money)));
                if (t.Every is { } every) sb.Append(t.Amounts.Count > 0 ? " then every " : "every ").Append(Money(every));
                if (t.Basis is { } basis) sb.Append(" on ").Append(basis.Text);
                break;
            case FeaturesItem f:
                FeaturePrinter.Grants(sb, f);
                break;
            case CouponRefItem c:
                sb.Append("coupon ").Append(c.Coupon.Text).Append(Customers(c.Customers));
                if (c.Duration is { } duration) sb.Append(' ').Append(Duration(duration));
                if (c.From is { } from) sb.Append(" from ").Append(Date(from));
                break;
            case TaxRefItem t:
                sb.Append("tax ").Append(t.Tax.Text).Append(Customers(t.Customers));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(item), item.GetType().Name, "unknown contract item");
        }

        sb.Append('\n');
    }

    private static void Expression(StringBuilder sb, Expr expression, Precedence context)
    {
        var own = PrecedenceOf(expression);
        var parenthesize = own < context;
        if (parenthesize) sb.Append('(');
        switch (expression)
        {
            case NumberLiteral n:
                sb.Append(Number(n.Value));
                break;
            case PercentLiteral p:
                sb.Append(Percent(p));
                break;
            case DurationLiteral d:
                sb.Append(Duration(d));
                break;
            case MoneyLiteral m:
                sb.Append(Money(m));
                break;
            case StringLiteral s:
                sb.Append(Quote(s.Value));
                break;
            case BoolLiteral b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case NullLiteral:
                sb.Append("null");
                break;
            case NameExpr n:
                sb.Append(Name(n.Name));
                break;
            case MetaExpr m:
                sb.Append("event.").Append(m.Name);
                if (m.Attribute is { } attribute) sb.Append('.').Append(attribute);
                break;
            case HasExpr h:
                sb.Append("has(").Append(h.Meta is null ? Name(h.Field) : h.Field).Append(')');
                break;
            case CallExpr call:
                sb.Append(call.Function).Append('(');
                List(sb, call.Arguments);
                sb.Append(')');
                break;
            case UnaryExpr { Op: UnaryOp.Negate } negate:
                sb.Append('-');
                Expression(sb, negate.Operand, Precedence.Unary);
                break;
            case UnaryExpr not:
                sb.Append("not ");
                Expression(sb, not.Operand, Precedence.Not);
                break;
            case BinaryExpr binary:
                // Left-associative chains keep the left operand at their own level; comparisons do not chain.
                var comparison = own == Precedence.Comparison;
                Expression(sb, binary.Left, comparison ? Precedence.Coalesce : own);
                sb.Append(' ').Append(Operator(binary.Op)).Append(' ');
                Expression(sb, binary.Right, own + 1);
                break;
            case InExpr inExpr:
                Expression(sb, inExpr.Value, Precedence.Coalesce);
                sb.Append(inExpr.Negated ? " not in [" : " in [");
                List(sb, inExpr.Items);
                sb.Append(']');
                break;
            case ScriptExpr script:
                sb.Append("script ").Append(Script(script.Source));
                if (script.Returns is not null) sb.Append(" returns ").Append(Type(script.Returns));
                break;
            case IfExpr ifExpr:
                sb.Append("if ");
                Expression(sb, ifExpr.Condition, Precedence.Expression);
                sb.Append(" then ");
                Expression(sb, ifExpr.Then, Precedence.Expression);
                sb.Append(" else ");
                Expression(sb, ifExpr.Else, Precedence.Expression);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expression), expression.GetType().Name, "unknown expression");
        }

        if (parenthesize) sb.Append(')');
    }

    private static string Script(ScriptSource source) => source switch
    {
        ScriptFileSource file => Quote(file.Path),
        InlineScriptSource inline => ScriptBlocks.FenceFor(inline.Code) + inline.Code + ScriptBlocks.FenceFor(inline.Code),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source.GetType().Name, "unknown script source"),
    };

    private static void List(StringBuilder sb, NodeList<Expr> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            Expression(sb, items[i], Precedence.Expression);
        }
    }

    private static Precedence PrecedenceOf(Expr expression) => expression switch
    {
        IfExpr => Precedence.Expression,
        BinaryExpr { Op: BinaryOp.Or } => Precedence.Or,
        BinaryExpr { Op: BinaryOp.And } => Precedence.And,
        UnaryExpr { Op: UnaryOp.Not } => Precedence.Not,
        InExpr => Precedence.Comparison,
        BinaryExpr { Op: BinaryOp.Coalesce } => Precedence.Coalesce,
        BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } => Precedence.Additive,
        BinaryExpr { Op: BinaryOp.Multiply or BinaryOp.Divide } => Precedence.Multiplicative,
        BinaryExpr => Precedence.Comparison,
        UnaryExpr => Precedence.Unary,
        _ => Precedence.Primary,
    };

    private static string Operator(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.And => "and",
        BinaryOp.Or => "or",
        _ => "??",
    };

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(PercentLiteral percent) => Number(percent.Percent) + "%";

    private static void AdjustmentItem(StringBuilder sb, AdjustmentItem item)
    {
        sb.Append("  ");
        sb.Append(item switch
        {
            CouponValueItem { Percent: { } percent } => "percent " + Percent(percent),
            CouponValueItem v => "amount " + Prices(v.Amount!),
            CouponDurationItem d => Duration(d.Duration),
            TaxRateItem r => "rate " + Percent(r.Rate) + " " + r.Mode.Text,
            TaxJurisdictionItem j => "jurisdiction " + Quote(j.Code.Value),
            AdjustmentTextItem { IsDescription: true } t => "description " + Quote(t.Text.Value),
            AdjustmentTextItem t => "label " + Quote(t.Text.Value),
            _ => throw new ArgumentOutOfRangeException(nameof(item), item.GetType().Name, "unknown coupon or tax item"),
        });
        sb.Append('\n');
    }

    private static string Duration(CouponDurationSyntax duration) => duration.Kind switch
    {
        CouponDurationKind.Once => "once",
        CouponDurationKind.Forever => "forever",
        _ => "for " + Number(duration.Count!.Value) + " periods",
    };

    private static string Customers(NodeList<StringLiteral> customers) =>
        customers.Count == 0 ? "" : " customers " + string.Join(", ", customers.Select(c => Quote(c.Value)));

    private static string Money(MoneyLiteral money) => Number(money.Amount) + " " + money.Currency;

    private static string Prices(PriceList prices) => string.Join(", ", prices.Prices.Select(Money));

    private static string Duration(DurationLiteral duration) => Number(duration.Amount) + duration.Unit switch
    {
        DurationUnit.Days => "d",
        DurationUnit.Hours => "h",
        DurationUnit.Minutes => "m",
        _ => "s",
    };

    private static string Date(DateSyntax date) => date.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A field or dimension name, quoted (<c>`amount`</c>) when the word is a keyword, so printing round-trips.</summary>
    public static string Name(string name) => Keywords.TryGet(name, out _) ? $"`{name}`" : name;

    private static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
