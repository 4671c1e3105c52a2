using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Binding;

/// <summary>The operator, function and null-safety rules of docs/dsl-spec.md §4 "Types", one expression at a time.</summary>
public class TypeRuleTests
{
    private static readonly EventSchema Schema = new("sample", new FieldSchema[]
    {
        new("a", FieldType.Decimal, false, 0, null),
        new("b", FieldType.Decimal, false, 1, null),
        new("n", FieldType.Integer, false, 2, null),
        new("s", FieldType.String, false, 3, null),
        new("t", FieldType.Timestamp, false, 4, null),
        new("d", FieldType.Duration, false, 5, null),
        new("m", FieldType.Money, false, 6, "USD"),
        new("e", FieldType.Money, false, 7, "EUR"),
        new("flag", FieldType.Bool, false, 8, null),
        new("o", FieldType.Decimal, true, 9, null),
        new("os", FieldType.String, true, 10, null),
    });

    /// <summary>The type of a well-typed expression, or the codes of its diagnostics.</summary>
    private static string Check(string text, BindingScope? scope = null)
    {
        var source = new SourceText("test.rules", text);
        var parsed = RuleParser.ParseExpression(source);
        Assert.Empty(parsed.Diagnostics);
        var bag = new DiagnosticBag();
        var bound = new ExpressionBinder(source, bag, scope ?? new EventScope(Schema)).BindValue(parsed.Expression!);
        var diagnostics = bag.ToSortedList();
        return diagnostics.Count == 0 ? bound.Type.ToString() : string.Join(" ", diagnostics.Select(d => d.Code));
    }

    [Theory]
    [InlineData("a + b", "decimal")]
    [InlineData("n + n", "integer")]
    [InlineData("n + a", "decimal")]
    [InlineData("n / n", "decimal")]
    [InlineData("m + m", "money(USD)")]
    [InlineData("m - 2.50 USD", "money(USD)")]
    [InlineData("m * 2", "money(USD)")]
    [InlineData("110% * m", "money(USD)")]
    [InlineData("m / 4", "money(USD)")]
    [InlineData("m / m", "decimal")]
    [InlineData("-m", "money(USD)")]
    [InlineData("t + d", "timestamp")]
    [InlineData("d + t", "timestamp")]
    [InlineData("t - 7d", "timestamp")]
    [InlineData("t - t", "duration")]
    [InlineData("d + 90m", "duration")]
    [InlineData("d * 2", "duration")]
    [InlineData("-d", "duration")]
    [InlineData("s + \"-x\"", "string")]
    [InlineData("40%", "decimal")]
    [InlineData("499 USD", "money(USD)")]
    [InlineData("event.time", "timestamp")]
    [InlineData("event.subject", "string")]
    [InlineData("a == n", "bool")]
    [InlineData("s < \"b\"", "bool")]
    [InlineData("m >= 10 USD", "bool")]
    [InlineData("t < t + d", "bool")]
    [InlineData("flag == true", "bool")]
    [InlineData("s in [\"a\", \"b\"]", "bool")]
    [InlineData("n not in [1, 2.5]", "bool")]
    [InlineData("if flag then 1 else 2.5", "decimal")]
    [InlineData("if flag then m else 0 USD", "money(USD)")]
    [InlineData("o ?? 0", "decimal")]
    [InlineData("os ?? \"none\"", "string")]
    [InlineData("has(o) and o > 1", "bool")]
    [InlineData("has(o) and has(os) and o > 1 and os == \"x\"", "bool")]
    [InlineData("if has(o) then o else 0", "decimal")]
    [InlineData("lower(s)", "string")]
    [InlineData("len(s)", "integer")]
    [InlineData("startsWith(s, \"t\")", "bool")]
    [InlineData("abs(m)", "money(USD)")]
    [InlineData("min(a, n)", "decimal")]
    [InlineData("max(m, 1 USD)", "money(USD)")]
    [InlineData("round(a, 2)", "decimal")]
    [InlineData("round(m, 0)", "money(USD)")]
    [InlineData("floor(a)", "integer")]
    [InlineData("hours(d)", "decimal")]
    public void Well_typed_expressions_get_their_type(string expression, string type) => Assert.Equal(type, Check(expression));

    [Theory]
    [InlineData("s + a", "RB0201")]
    [InlineData("m + 1", "RB0201")]
    [InlineData("m + e", "RB0202")]
    [InlineData("m > 5 EUR", "RB0202")]
    [InlineData("m / e", "RB0202")]
    [InlineData("if flag then m else e", "RB0202")]
    [InlineData("m * m", "RB0203")]
    [InlineData("o + 1", "RB0204")]
    [InlineData("os == \"x\"", "RB0204")]
    [InlineData("has(o) or o > 1", "RB0204")]
    [InlineData("if has(o) then 0 else o", "RB0204")]
    [InlineData("a ?? 1", "RB0201")]
    [InlineData("o ?? \"x\"", "RB0201")]
    [InlineData("lower(a)", "RB0205")]
    [InlineData("lower(s, s)", "RB0205")]
    [InlineData("round(a, b)", "RB0205")]
    [InlineData("round(a, 29)", "RB0205")]
    [InlineData("min(m, e)", "RB0205")]
    [InlineData("s in [\"a\", 1]", "RB0201")]
    [InlineData("flag < flag", "RB0201")]
    [InlineData("not a", "RB0201")]
    [InlineData("-s", "RB0201")]
    [InlineData("if a then 1 else 2", "RB0201")]
    [InlineData("if flag then 1 else \"x\"", "RB0201")]
    [InlineData("flag and 1", "RB0201")]
    [InlineData("t + t", "RB0201")]
    [InlineData("5 XYZ", "RB0105")]
    [InlineData("nope > 1", "RB0102")]
    [InlineData("has(nope)", "RB0102")]
    [InlineData("event.foo", "RB0102")]
    [InlineData("lowercase(s)", "RB0107")]
    [InlineData("revenue() > 1 USD", "RB0107")]
    [InlineData("s + a == m * m", "RB0201 RB0203")]
    public void Ill_typed_expressions_report_their_code(string expression, string codes) => Assert.Equal(codes, Check(expression));

    [Fact]
    public void An_error_is_reported_once_not_again_by_every_enclosing_expression() =>
        Assert.Equal("RB0102", Check("(nope + 1) * 2 > a and flag"));

    [Theory]
    [InlineData("team == \"enterprise\"", "RB0204")]
    [InlineData("(team ?? \"\") == \"enterprise\"", "bool")]
    [InlineData("has(team) and team == \"enterprise\"", "bool")]
    [InlineData("region == \"eu\"", "RB0102")]
    [InlineData("event.id == \"x\"", "RB0102")]
    public void Charge_filters_see_optional_dimensions(string expression, string expected) =>
        Assert.Equal(expected, Check(expression, new FilterScope("resolved", ["team", "channel"])));

    [Theory]
    [InlineData("margin(resolved) < 20%", "bool")]
    [InlineData("revenue() - cost() > 500 USD", "bool")]
    [InlineData("count(resolved) > 100 and margin() < 0", "bool")]
    [InlineData("revenue() > 500 EUR", "RB0202")]
    [InlineData("margin(resolvd) < 20%", "RB0104")]
    [InlineData("count(1) > 0", "RB0205")]
    [InlineData("a > 1", "RB0102")]
    public void Guard_conditions_use_period_aggregates(string expression, string expected) =>
        Assert.Equal(expected, Check(expression, new GuardScope(RuleType.Money("USD"), ["resolved"])));

    [Fact]
    public void Messages_say_how_to_fix_the_mistake()
    {
        var source = new SourceText("test.rules", "csat > 4");
        var bag = new DiagnosticBag();
        var schema = new EventSchema("survey", [new FieldSchema("csat", FieldType.Decimal, true, 0, null)]);
        new ExpressionBinder(source, bag, new EventScope(schema)).BindValue(RuleParser.ParseExpression(source).Expression!);
        var diagnostic = Assert.Single(bag.ToSortedList());
        Assert.Equal("test.rules:1:1: error RB0204: optional field 'csat' may be absent; use has(csat) or csat ?? default", diagnostic.Headline);
        Assert.Equal(new TextSpan(0, 4), diagnostic.Span);
    }

    [Fact]
    public void Currency_table_knows_minor_units()
    {
        Assert.True(Currencies.IsKnown("USD"));
        Assert.False(Currencies.IsKnown("usd"));
        Assert.False(Currencies.IsKnown("XAU"));
        Assert.Equal(2, Currencies.MinorUnits("USD"));
        Assert.Equal(0, Currencies.MinorUnits("JPY"));
        Assert.Equal(3, Currencies.MinorUnits("KWD"));
        Assert.Equal(4, Currencies.MinorUnits("CLF"));
        Assert.Throws<ArgumentException>(() => Currencies.MinorUnits("ABC"));
        Assert.True(Currencies.Codes.Count > 150);
    }
}
