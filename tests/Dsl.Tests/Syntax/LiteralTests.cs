using System.Globalization;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Syntax;

/// <summary>Literal values as the parser reads them: exact decimals with their scale, decoded strings, units.</summary>
public class LiteralTests
{
    private static Expr Parse(string text)
    {
        var result = RuleParser.ParseExpression(new SourceText("repl", text));
        Assert.Empty(result.Diagnostics);
        return result.Expression!;
    }

    [Theory]
    [InlineData("4", "4")]
    [InlineData("2.50", "2.50")]
    [InlineData("10_000", "10000")]
    [InlineData("1_000.000_1", "1000.0001")]
    [InlineData("007", "7")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    public void Numbers_keep_value_and_scale(string text, string expected)
    {
        var number = Assert.IsType<NumberLiteral>(Parse(text));
        Assert.Equal(expected, number.Value.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Percent_duration_and_money()
    {
        Assert.Equal(2.5m, Assert.IsType<PercentLiteral>(Parse("2.5%")).Percent);
        Assert.Equal((1.5m, DurationUnit.Hours), Assert.IsType<DurationLiteral>(Parse("1.5h")) is var d ? (d.Amount, d.Unit) : default);
        var money = Assert.IsType<MoneyLiteral>(Parse("1_000 JPY"));
        Assert.Equal((1000m, "JPY", new TextSpan(0, 9)), (money.Amount, money.Currency, money.Span));
    }

    [Fact]
    public void Strings_are_unescaped()
    {
        Assert.Equal("a\"b\\c\nd\te", Assert.IsType<StringLiteral>(Parse("\"a\\\"b\\\\c\\nd\\te\"")).Value);
    }

    [Fact]
    public void Dash_between_numbers_is_subtraction_unless_it_is_a_date_shape()
    {
        var difference = Assert.IsType<BinaryExpr>(Parse("2026-01"));
        Assert.Equal(BinaryOp.Subtract, difference.Op);

        var result = RuleParser.ParseExpression(new SourceText("repl", "2026-01-01"));
        Assert.Equal(["repl:1:1: error RB0002: unexpected date `2026-01-01`, expected expression"], result.Diagnostics.Select(d => d.Headline));
    }

    [Fact]
    public void Three_upper_case_letters_alone_are_a_name()
    {
        Assert.Equal("USD", Assert.IsType<NameExpr>(Parse("USD")).Name);
        var product = Assert.IsType<BinaryExpr>(Parse("2 * USD"));
        Assert.IsType<NameExpr>(product.Right);
    }

    [Fact]
    public void Keyword_functions_and_null()
    {
        var call = Assert.IsType<CallExpr>(Parse("round(min(a, b), 2)"));
        Assert.Equal(("round", "min"), (call.Function, Assert.IsType<CallExpr>(call.Arguments[0]).Function));
        Assert.IsType<NullLiteral>(Parse("null"));
    }

    [Fact]
    public void Operators_bind_as_the_spec_says()
    {
        Assert.Equal("a or b and not c == d ?? e + f * -g",
            RulePrinter.Print(Parse("a or (b and (not (c == ((d ?? (e + (f * (-g))))))))")));
        Assert.Equal("(a or b) and c", RulePrinter.Print(Parse("(a or b) and c")));
        Assert.Equal("a - (b - c)", RulePrinter.Print(Parse("a - (b - c)")));
        Assert.Equal("a - b - c", RulePrinter.Print(Parse("(a - b) - c")));
        Assert.Equal("(a < b) == c", RulePrinter.Print(Parse("(a < b) == c")));
        Assert.Equal("x not in [1, 2] and (if p then 1 else 2) > 0", RulePrinter.Print(Parse("x not in [1,2] and (if p then 1 else 2) > 0")));
    }
}
