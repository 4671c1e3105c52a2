using System.Text;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Syntax;

/// <summary>Hostile inputs end in diagnostics: deep nesting, long chains and large files never overflow the stack.</summary>
public class RobustnessTests
{
    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    public static TheoryData<string, string> DeeplyNested => new()
    {
        { "parentheses", Repeat("(", 10_000) + "1" + Repeat(")", 10_000) },
        { "negation", Repeat("-", 100_000) + "1" },
        { "not", Repeat("not ", 100_000) + "true" },
        { "if", Repeat("if a then b else ", 10_000) + "c" },
        { "calls", Repeat("f(", 10_000) + "1" + Repeat(")", 10_000) },
        { "lists", Repeat("a in [", 10_000) + "1" + Repeat("]", 10_000) },
        { "long chain", Repeat("1 + ", 100_000) + "1" },
        { "unclosed", Repeat("(", 100_000) },
    };

    [Theory]
    [MemberData(nameof(DeeplyNested))]
    public void Deep_expressions_are_rejected_with_a_diagnostic(string shape, string expression)
    {
        var result = RuleParser.Parse(new SourceText("deep.rules", "outcome o from e {\n  when " + expression + "\n}\n"));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("RB0002", "expression nested too deeply"), (diagnostic.Code, diagnostic.Message));
        Assert.True(diagnostic.Position.Line == 2, shape);
        Assert.Empty(result.File.Declarations);
    }

    [Fact]
    public void Nesting_below_the_limit_parses()
    {
        var depth = ExpressionGrammar.MaxNesting - 1;
        var result = RuleParser.ParseExpression(new SourceText("repl", Repeat("(", depth) + "1" + Repeat(")", depth)));

        Assert.Empty(result.Diagnostics);
        var literal = Assert.IsType<NumberLiteral>(result.Expression);
        Assert.Equal(1m, literal.Value);
        Assert.Equal(new TextSpan(0, 2 * depth + 1), literal.Span);
    }

    [Fact]
    public void Nesting_one_past_the_limit_is_rejected_at_the_first_token_too_deep()
    {
        var depth = ExpressionGrammar.MaxNesting;
        var result = RuleParser.ParseExpression(new SourceText("repl", Repeat("(", depth) + "1" + Repeat(")", depth)));

        // The whole expression is level 1, so the innermost `1` is level depth + 1.
        Assert.Equal([$"repl:1:{depth + 1}: error RB0002: expression nested too deeply"], result.Diagnostics.Select(d => d.Headline));
    }

    [Fact]
    public void A_large_file_parses_completely()
    {
        const int Count = 3_000;
        var text = new StringBuilder();
        for (var i = 0; i < Count; i++)
        {
            text.Append("outcome o").Append(i).Append(" from e {\n  when a == ").Append(i).Append(" and b in [\"x\", \"y\"]\n  quantity q * 2\n}\n");
        }

        var result = RuleParser.Parse(new SourceText("big.rules", text.ToString()));

        Assert.Empty(result.Diagnostics);
        Assert.Equal(Count, result.File.Declarations.Count);
        Assert.Equal("o2999", result.File.Declarations[^1].Name.Text);
    }

    [Fact]
    public void Many_broken_declarations_each_get_one_diagnostic()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 500; i++) text.Append("outcome o").Append(i).Append(" from e { when }\n");

        var result = RuleParser.Parse(new SourceText("broken.rules", text.ToString()));

        Assert.Equal(500, result.Diagnostics.Count);
        Assert.All(result.Diagnostics, d => Assert.Equal("unexpected `}`, expected expression", d.Message));
    }

    [Fact]
    public void Random_bytes_give_diagnostics()
    {
        var random = new Random(20260101);
        for (var run = 0; run < 200; run++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            var text = Encoding.Latin1.GetString(bytes);

            var result = RuleParser.Parse(new SourceText("bytes.rules", text));

            // Front-end codes only: lexical and syntax errors, a keyword used as a name, a malformed quoted name.
            Assert.All(result.Diagnostics, d => Assert.Matches("^RB(000[1-5]|0111|0112)$", d.Code));
            Assert.NotEmpty(result.Diagnostics);
        }
    }
}
