using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Syntax;

/// <summary>Parses Cases/full.rules, which uses every construct of the grammar, and checks the tree it yields.</summary>
public class FullFileTests
{
    private static readonly SourceText Source = SourceText.FromFile(Path.Combine(AppContext.BaseDirectory, "Syntax", "Cases", "full.rules"));
    private static readonly ParseResult Result = RuleParser.Parse(Source);

    private static T Declaration<T>(string name, int index = 0) where T : Declaration =>
        Result.File.Declarations.OfType<T>().Where(d => d.Name.Text == name).ElementAt(index);

    private static string Where(TextSpan span)
    {
        var (startLine, startColumn) = Source.GetLineColumn(span.Start);
        var (endLine, endColumn) = Source.GetLineColumn(span.End);
        return $"{startLine}:{startColumn}-{endLine}:{endColumn}";
    }

    [Fact]
    public void Parses_without_diagnostics()
    {
        Assert.Empty(Result.Diagnostics);
        Assert.Equal(
            ["EventDecl ticket.resolved", "EventDecl ticket.reopened", "EventDecl llm.usage", "OutcomeDecl resolved_ticket",
             "CostDecl llm_spend", "PricingDecl standard", "PricingDecl bundles", "ContractDecl acme", "ContractDecl acme", "ContractDecl fallback"],
            Result.File.Declarations.Select(d => $"{d.GetType().Name} {d.Name.Text}"));
    }

    [Fact]
    public void Event_fields_keep_types_and_optionality()
    {
        var resolved = Declaration<EventDecl>("ticket.resolved");

        Assert.Equal("2:1-12:2", Where(resolved.Span));
        Assert.Equal(
            ["ticket_id:String", "status:String", "team:String?", "csat:Decimal?", "minutes_spent:Integer", "escalated:Bool",
             "resolved_at:Timestamp", "handle_time:Duration", "price:Money(USD)"],
            resolved.Fields.Select(f => $"{f.Name.Text}:{f.Type.Kind}{(f.Type.Currency is null ? "" : $"({f.Type.Currency})")}{(f.Optional ? "?" : "")}"));
    }

    [Fact]
    public void Outcome_clauses_and_their_spans()
    {
        var outcome = Declaration<OutcomeDecl>("resolved_ticket");
        Assert.Equal("ticket.resolved", outcome.EventType.Text);
        Assert.Equal(
            ["WhenClause", "KeyClause", "QuantityClause", "ValueClause", "HoldClause", "DimensionsClause", "SplitClause"],
            outcome.Clauses.Select(c => c.GetType().Name));

        var when = (WhenClause)outcome.Clauses[0];
        Assert.Equal("25:3-25:65", Where(when.Span));
        var and = Assert.IsType<BinaryExpr>(when.Condition);
        Assert.Equal(BinaryOp.And, and.Op);
        Assert.Equal("25:8-25:65", Where(and.Span));
        var atLeast = Assert.IsType<BinaryExpr>(and.Right);
        Assert.Equal(BinaryOp.GreaterOrEqual, atLeast.Op);
        var coalesce = Assert.IsType<BinaryExpr>(atLeast.Left);
        Assert.Equal(BinaryOp.Coalesce, coalesce.Op);
        Assert.Equal("25:49-25:60", Where(coalesce.Span)); // the parentheses belong to the node
        Assert.IsType<UnaryExpr>(Assert.IsType<BinaryExpr>(and.Left).Right);

        var key = (KeyClause)outcome.Clauses[1];
        Assert.Equal(new NameExpr(key.Key.Span, "ticket_id"), key.Key);
        Assert.Equal((7m, DurationUnit.Days), (key.Within!.Amount, key.Within.Unit));

        var quantity = Assert.IsType<IfExpr>(((QuantityClause)outcome.Clauses[2]).Quantity);
        Assert.IsType<HasExpr>(Assert.IsType<BinaryExpr>(quantity.Condition).Left);

        var value = Assert.IsType<BinaryExpr>(((ValueClause)outcome.Clauses[3]).Value);
        Assert.Equal(BinaryOp.Subtract, value.Op);
        var money = Assert.IsType<MoneyLiteral>(value.Right);
        Assert.Equal(("0.50", "USD"), (money.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), money.Currency));
        Assert.Equal("28:24-28:32", Where(money.Span));
        Assert.Equal(110m, Assert.IsType<PercentLiteral>(Assert.IsType<BinaryExpr>(value.Left).Right).Percent);

        var hold = (HoldClause)outcome.Clauses[4];
        Assert.Equal((72m, DurationUnit.Hours, "ticket.reopened"), (hold.Window.Amount, hold.Window.Unit, hold.ReversingEvent.Text));

        var dimensions = (DimensionsClause)outcome.Clauses[5];
        Assert.Equal("30:3-30:74", Where(dimensions.Span));
        Assert.Equal(["team", "channel"], dimensions.Entries.Select(e => e.Name.Text));
        var lower = Assert.IsType<CallExpr>(dimensions.Entries[1].Value);
        Assert.Equal("30:53-30:72", Where(lower.Span));
        Assert.Equal("source", Assert.IsType<MetaExpr>(Assert.Single(lower.Arguments)).Name);

        var split = (SplitClause)outcome.Clauses[6];
        Assert.Equal("partner", split.Dimension.Text);
        Assert.Equal([70m, 30m], split.Shares.Select(s => s.Share.Percent));
    }

    [Fact]
    public void Cost_clauses()
    {
        var cost = Declaration<CostDecl>("llm_spend");
        var notIn = Assert.IsType<InExpr>(Assert.IsType<BinaryExpr>(((WhenClause)cost.Clauses[0]).Condition).Left);
        Assert.True(notIn.Negated);
        Assert.Equal(2, notIn.Items.Count);

        var amount = Assert.IsType<BinaryExpr>(((AmountClause)cost.Clauses[1]).Amount);
        var rate = Assert.IsType<MoneyLiteral>(amount.Right);
        Assert.Equal("0.000002", rate.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var forClause = (ForClause)cost.Clauses[2];
        Assert.Equal("resolved_ticket", forClause.Outcome.Text);
        Assert.IsType<NameExpr>(forClause.On);
    }

    [Fact]
    public void Pricing_items_charges_and_tiers()
    {
        var standard = Declaration<PricingDecl>("standard");
        Assert.Equal(
            ["BaseItem", "ChargeItem", "ChargeItem", "MinimumItem", "CapItem", "GuardItem", "GuardItem", "GuardItem"],
            standard.Items.Select(i => i.GetType().Name));

        var basePrices = ((BaseItem)standard.Items[0]).Prices.Prices;
        Assert.Equal(["499 USD", "459 EUR"], basePrices.Select(p => $"{p.Amount} {p.Currency}"));

        var charge = (ChargeItem)standard.Items[1];
        Assert.NotNull(charge.Where);
        Assert.Equal(["FreeClause", "TieredClause", "ChargeCapClause"], charge.Clauses.Select(c => c.GetType().Name));
        var graduated = (TieredClause)charge.Clauses[1];
        Assert.Equal(TierMode.Graduated, graduated.Mode);
        Assert.Equal([1000m, 10000m, null], graduated.Tiers.Select(t => t.UpTo?.Value));
        Assert.Equal(TierMode.Volume, ((TieredClause)((ChargeItem)standard.Items[2]).Clauses[0]).Mode);

        var guards = standard.Items.OfType<GuardItem>().ToList();
        Assert.Equal([GuardActionKind.Alert, GuardActionKind.Hold, GuardActionKind.Cap], guards.Select(g => g.Action.Kind));
        Assert.Equal(2, guards[2].Action.CapAmount!.Prices.Count);
        Assert.Equal("cost", Assert.IsType<CallExpr>(Assert.IsType<BinaryExpr>(Assert.IsType<BinaryExpr>(guards[2].Condition).Left).Left).Function);

        var bundles = Declaration<PricingDecl>("bundles");
        var package = (PackageClause)((ChargeItem)bundles.Items[0]).Clauses[0];
        Assert.Equal((100m, true), (package.Size.Value, package.RoundUp));
        var percent = (PercentClause)((ChargeItem)bundles.Items[1]).Clauses[0];
        Assert.Equal((2.5m, 0.10m, 25m), (percent.Rate.Percent, percent.Min!.Prices[0].Amount, percent.Max!.Prices[0].Amount));
        Assert.Equal("70:5-70:50", Where(percent.Span));
        Assert.IsType<UnitClause>(((ChargeItem)bundles.Items[2]).Clauses[0]);
    }

    [Fact]
    public void Contracts()
    {
        var first = Declaration<ContractDecl>("acme");
        Assert.Equal((1m, new DateOnly(2026, 1, 1), new DateOnly(2026, 7, 1)), (first.Version.Value, first.Effective.Value, first.Until!.Value));
        var customers = (CustomersItem)first.Items[0];
        Assert.Equal(["acme", "acme-eu"], customers.Customers.Select(c => c.Value));
        Assert.Equal("standard", ((PricingRefItem)first.Items[1]).Pricing.Text);
        Assert.Equal("USD", ((CurrencyItem)first.Items[2]).Currency.Text);
        Assert.Equal(15, ((PeriodItem)first.Items[3]).Anchor);

        var second = Declaration<ContractDecl>("acme", 1);
        Assert.Equal("85:1-89:2", Where(second.Span));
        Assert.Null(second.Until);
        Assert.Equal("P3M", ((PeriodItem)second.Items[2]).IsoDuration!.Value);

        var fallback = Declaration<ContractDecl>("fallback");
        Assert.True(((CustomersItem)fallback.Items[0]).IsDefault);
        Assert.Equal(new PeriodItem(fallback.Items[3].Span, null, null), fallback.Items[3]);
    }

    [Fact]
    public void Printing_is_canonical_and_reparses_to_the_same_tree()
    {
        var printed = RulePrinter.Print(Result.File);
        var reparsed = RuleParser.Parse(new SourceText("printed.rules", printed));

        Assert.Empty(reparsed.Diagnostics);
        Assert.Equal(SyntaxNormalizer.StripSpans(Result.File), SyntaxNormalizer.StripSpans(reparsed.File));
        Assert.Equal(printed, RulePrinter.Print(reparsed.File));
        Assert.Contains("  when status == \"closed\" and not escalated and csat ?? 5 >= 4\n", printed);
        Assert.Contains("      up to 1000 at 0.90 USD, 0.85 EUR\n", printed);
    }
}
