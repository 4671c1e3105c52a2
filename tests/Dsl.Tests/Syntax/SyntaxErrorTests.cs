using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Syntax;

/// <summary>Broken inputs and the exact diagnostic a user sees (headline, source line, caret).</summary>
public class SyntaxErrorTests
{
    private static string RenderAll(string text)
    {
        var result = RuleParser.Parse(new SourceText("t.rules", text));
        return string.Join("\n", result.Diagnostics.Select(d => d.Render()));
    }

    [Fact]
    public void Missing_closing_brace_is_reported_after_the_last_token()
    {
        Assert.Equal(
            "t.rules:2:14: error RB0002: unexpected end of input, expected outcome clause or `}`\n" +
            "    when x == 1\n" +
            "               ^",
            RenderAll("outcome a from e {\n  when x == 1\n"));
    }

    [Fact]
    public void Graduated_without_tiers()
    {
        Assert.Equal(
            "t.rules:3:17: error RB0002: unexpected `}`, expected `up` or `rest`\n" +
            "      graduated { }\n" +
            "                  ^",
            RenderAll("pricing p {\n  charge a {\n    graduated { }\n  }\n}\n"));
    }

    [Fact]
    public void Duration_with_unknown_unit()
    {
        Assert.Equal(
            "t.rules:2:17: error RB0005: invalid literal `7x` (durations use d, h, m or s; money needs a space, as in `499 USD`)\n" +
            "    key id within 7x\n" +
            "                  ^^",
            RenderAll("outcome a from e {\n  key id within 7x\n}\n"));
    }

    [Fact]
    public void Money_without_space()
    {
        Assert.Equal(
            "t.rules:1:18: error RB0005: invalid literal `499USD` (durations use d, h, m or s; money needs a space, as in `499 USD`)\n" +
            "  pricing p { base 499USD }\n" +
            "                   ^^^^^^",
            RenderAll("pricing p { base 499USD }"));
    }

    [Fact]
    public void Unterminated_string_underlines_to_the_end_of_the_line()
    {
        Assert.Equal(
            "t.rules:2:13: error RB0003: unterminated string\n" +
            "    when x == \"abc\n" +
            "              ^^^^",
            RenderAll("outcome a from e {\n  when x == \"abc\n}\n"));
    }

    [Fact]
    public void Comparisons_do_not_chain()
    {
        Assert.Equal(
            "t.rules:2:14: error RB0002: unexpected operator `<`, comparisons do not chain (combine them with `and`)\n" +
            "    when a < b < c\n" +
            "               ^",
            RenderAll("outcome a from e {\n  when a < b < c\n}\n"));
    }

    [Fact]
    public void Unknown_character()
    {
        Assert.Equal(
            "t.rules:2:9: error RB0001: unexpected character `$`\n" +
            "    value $5\n" +
            "          ^",
            RenderAll("outcome a from e {\n  value $5\n}\n"));
    }

    [Fact]
    public void Lower_case_currency_code()
    {
        Assert.Equal(
            "t.rules:2:12: error RB0002: unexpected identifier `usd`, expected currency code\n" +
            "    base 499 usd\n" +
            "             ^^^",
            RenderAll("pricing p {\n  base 499 usd\n}\n"));
    }

    [Fact]
    public void Tier_without_at()
    {
        Assert.Equal(
            "t.rules:4:17: error RB0002: unexpected number `0.10`, expected `at`\n" +
            "        up to 100 0.10 USD\n" +
            "                  ^^^^",
            RenderAll("pricing p {\n  charge a {\n    graduated {\n      up to 100 0.10 USD\n      rest at 0.05 USD\n    }\n  }\n}\n"));
    }

    [Fact]
    public void Missing_operand()
    {
        Assert.Equal(
            "t.rules:2:13: error RB0002: unexpected `)`, expected expression\n" +
            "    when (a + )\n" +
            "              ^",
            RenderAll("outcome a from e {\n  when (a + )\n}\n"));
    }

    [Fact]
    public void Unknown_clause()
    {
        Assert.Equal(
            "t.rules:2:3: error RB0002: unexpected identifier `foo`, expected outcome clause or `}`\n" +
            "    foo\n" +
            "    ^^^",
            RenderAll("outcome a from e {\n  foo\n}\n"));
    }

    [Fact]
    public void Unknown_type()
    {
        Assert.Equal(
            "t.rules:2:6: error RB0002: unexpected identifier `strin`, expected type\n" +
            "    x: strin\n" +
            "       ^^^^^",
            RenderAll("event e {\n  x: strin\n}\n"));
    }

    [Fact]
    public void Fractional_contract_version()
    {
        Assert.Equal(
            "t.rules:1:20: error RB0002: unexpected number `1.5`, expected integer\n" +
            "  contract c version 1.5 effective 2026-01-01 { }\n" +
            "                     ^^^",
            RenderAll("contract c version 1.5 effective 2026-01-01 { }"));
    }

    [Fact]
    public void Invalid_calendar_date()
    {
        Assert.Equal(
            "t.rules:1:32: error RB0005: invalid date `2026-13-01`\n" +
            "  contract c version 1 effective 2026-13-01 { }\n" +
            "                                 ^^^^^^^^^^",
            RenderAll("contract c version 1 effective 2026-13-01 { }"));
    }

    [Fact]
    public void Number_beyond_decimal_range()
    {
        Assert.Equal(
            "t.rules:1:29: error RB0004: number `99999999999999999999999999999999` is too large or too precise for a decimal\n" +
            "  outcome a from e { quantity 99999999999999999999999999999999 }\n" +
            "                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            RenderAll("outcome a from e { quantity 99999999999999999999999999999999 }"));
    }

    [Fact]
    public void Number_beyond_decimal_precision_is_not_rounded_silently()
    {
        Assert.Equal(
            "t.rules:1:18: error RB0004: number `0.123456789012345678901234567891` is too large or too precise for a decimal\n" +
            "  pricing p { base 0.123456789012345678901234567891 USD }\n" +
            "                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            RenderAll("pricing p { base 0.123456789012345678901234567891 USD }"));
    }

    [Fact]
    public void Single_equals_sign()
    {
        Assert.Equal(
            "t.rules:1:27: error RB0001: unexpected character `=`, expected `==`\n" +
            "  outcome a from e { when x = 1 }\n" +
            "                            ^",
            RenderAll("outcome a from e { when x = 1 }"));
    }

    [Fact]
    public void Invalid_escape_sequence()
    {
        Assert.Equal(
            "t.rules:1:32: error RB0005: invalid escape sequence `\\q` (use \\\", \\\\, \\n or \\t)\n" +
            "  outcome a from e { when s == \"a\\qb\" }\n" +
            "                                 ^^",
            RenderAll("outcome a from e { when s == \"a\\qb\" }"));
    }

    [Fact]
    public void Junk_at_top_level()
    {
        Assert.Equal(
            "t.rules:1:1: error RB0002: unexpected identifier `foo`, expected `event`, `outcome`, `cost`, `pricing`, `contract`, `feature`, `coupon` or `tax`\n" +
            "  foo bar\n" +
            "  ^^^",
            RenderAll("foo bar"));
    }

    [Fact]
    public void Unclosed_list()
    {
        Assert.Equal(
            "t.rules:1:36: error RB0002: unexpected `}`, expected `]`\n" +
            "  outcome a from e { when x in [1, 2 }\n" +
            "                                     ^",
            RenderAll("outcome a from e { when x in [1, 2 }"));
    }

    [Fact]
    public void Share_without_to()
    {
        Assert.Equal(
            "t.rules:1:34: error RB0002: unexpected string `\"a\"`, expected `to`\n" +
            "  outcome a from e { split p { 70% \"a\" } }\n" +
            "                                   ^^^",
            RenderAll("outcome a from e { split p { 70% \"a\" } }"));
    }

    [Fact]
    public void Unknown_guard_action()
    {
        Assert.Equal(
            "t.rules:1:45: error RB0002: unexpected identifier `stop`, expected `alert`, `hold` or `cap`\n" +
            "  pricing p { guard g: revenue() > 5 USD then stop }\n" +
            "                                              ^^^^",
            RenderAll("pricing p { guard g: revenue() > 5 USD then stop }"));
    }

    [Fact]
    public void Hold_without_reversed()
    {
        Assert.Equal(
            "t.rules:1:28: error RB0002: unexpected keyword `by`, expected `reversed`\n" +
            "  outcome a from e { hold 7d by r on x }\n" +
            "                             ^^",
            RenderAll("outcome a from e { hold 7d by r on x }"));
    }

    [Fact]
    public void Parsing_resumes_at_the_next_declaration_after_an_error()
    {
        var text = "outcome x from e { when a == }\noutcome y from e { when b }\npricing p { base 5 }\nevent ok { a: string }\n";
        var result = RuleParser.Parse(new SourceText("t.rules", text));

        Assert.Equal(
            ["t.rules:1:30: error RB0002: unexpected `}`, expected expression",
             "t.rules:3:20: error RB0002: unexpected `}`, expected currency code"],
            result.Diagnostics.Select(d => d.Headline));
        Assert.Equal(["y", "ok"], result.File.Declarations.Select(d => d.Name.Text));
    }

    [Fact]
    public void Lexical_error_yields_an_empty_file()
    {
        var result = RuleParser.Parse(new SourceText("t.rules", "event ok { a: string }\noutcome o from ok { when a == # }"));

        Assert.Empty(result.File.Declarations);
        Assert.Equal(["t.rules:2:31: error RB0001: unexpected character `#`"], result.Diagnostics.Select(d => d.Headline));
    }

    [Fact]
    public void Expression_entry_point_requires_end_of_input()
    {
        var result = RuleParser.ParseExpression(new SourceText("repl", "a + b c"));

        Assert.Null(result.Expression);
        Assert.Equal(["repl:1:7: error RB0002: unexpected identifier `c`"], result.Diagnostics.Select(d => d.Headline));
    }
}
