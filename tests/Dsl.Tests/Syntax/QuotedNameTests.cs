using System.Text.Json;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Runtime;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Syntax;

/// <summary>Quoted names (docs/dsl-spec.md §1.1): a field called `amount`, `key` or `when`, declared and read.</summary>
public sealed class QuotedNameTests
{
    private const string Rules = """
        event payment.settled {
          payment_id: string
          `amount`: money USD
          `key`: string
          `when`: timestamp
        }

        outcome settled from payment.settled {
          when `amount` > 10 USD and `key` != "" and `when` <= event.time
          key `key`
          value `amount`
          dimensions { `value`: if `amount` >= 100 USD then "large" else "small" }
        }
        """;

    [Fact]
    public void A_keyword_field_is_declared_bound_from_json_and_read_in_every_clause()
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("q.rules", Rules)]);
        Assert.Equal("", compilation.Render());
        var ruleSet = compilation.RuleSet!;
        var schema = ruleSet.Events["payment.settled"];
        Assert.Equal(["payment_id", "amount", "key", "when"], schema.Fields.Select(f => f.Name));

        using var json = JsonDocument.Parse("""{"payment_id":"p1","amount":"120.00","key":"K-7","when":"2026-03-01T00:00:00Z"}""");
        var bound = EventBinder.TryBind(schema, "e1", "psp", "acme", DateTimeOffset.Parse("2026-03-02T00:00:00Z"), json.RootElement, out var error);
        Assert.Null(error);

        var rule = Assert.Single(ruleSet.Outcomes);
        Assert.True(rule.Condition!(bound!));
        Assert.Equal("K-7", rule.Key!(bound!));
        Assert.Equal(120.00m, rule.Value!(bound!));
        var dimension = Assert.Single(rule.Dimensions);
        Assert.Equal("value", dimension.Name);
        Assert.Equal("large", dimension.Selector(bound!));
    }

    [Fact]
    public void A_quoted_plain_name_is_the_same_name()
    {
        var expression = RuleParser.ParseExpression(new SourceText("e", "`ticket_id` == ticket_id"));
        Assert.Empty(expression.Diagnostics);
        var binary = Assert.IsType<BinaryExpr>(expression.Expression);
        Assert.Equal(new NameExpr(default, "ticket_id"), SyntaxNormalizer.StripSpans(binary.Left));
        Assert.Equal(new NameExpr(default, "ticket_id"), SyntaxNormalizer.StripSpans(binary.Right));
    }

    [Fact]
    public void The_printer_quotes_keyword_names_only()
    {
        var parsed = RuleParser.Parse(new SourceText("q.rules", Rules));
        Assert.Empty(parsed.Diagnostics);
        var printed = RulePrinter.Print(parsed.File);
        Assert.Contains("  `amount`: money USD\n", printed, StringComparison.Ordinal);
        Assert.Contains("  payment_id: string\n", printed, StringComparison.Ordinal);
        Assert.Contains("key `key`", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_keyword_declared_as_a_field_is_RB0111_suggesting_the_quote()
    {
        var parsed = RuleParser.Parse(new SourceText("t.rules", "event payment.settled {\n  payment_id: string\n  amount: money USD\n}\n"));
        Assert.Equal(
            "t.rules:3:3: error RB0111: 'amount' is a keyword, so it cannot be a name as written; quote it as `amount` (the event still carries it as \"amount\")\n" +
            "    amount: money USD\n" +
            "    ^^^^^^",
            string.Join("\n", parsed.Diagnostics.Select(d => d.Render())));
    }

    [Fact]
    public void A_keyword_read_as_a_field_is_RB0111_suggesting_the_quote()
    {
        var parsed = RuleParser.Parse(new SourceText("t.rules", "outcome o from e {\n  when quantity > 3\n}\n"));
        Assert.Equal(
            "t.rules:2:8: error RB0111: 'quantity' is a keyword, not a value; to read a field named 'quantity', quote it as `quantity`\n" +
            "    when quantity > 3\n" +
            "         ^^^^^^^^",
            string.Join("\n", parsed.Diagnostics.Select(d => d.Render())));
    }

    [Theory]
    [InlineData("when `two words` == \"\"", 8, "`two words`")]
    [InlineData("when `amount == \"\"", 8, "`amount == \"\"")]
    [InlineData("when `` == \"\"", 8, "``")]
    [InlineData("when `9lives` == \"\"", 8, "`9lives`")]
    public void A_malformed_quoted_name_is_RB0112(string clause, int column, string shown)
    {
        var parsed = RuleParser.Parse(new SourceText("t.rules", $"outcome o from e {{\n  {clause}\n}}\n"));
        var diagnostic = Assert.Single(parsed.Diagnostics);
        Assert.Equal("RB0112", diagnostic.Code);
        Assert.StartsWith(
            $"t.rules:2:{column}: error RB0112: bad quoted name {shown}; a quoted name is a letter or _ followed by letters, digits or _, between backticks, as in `amount`",
            diagnostic.Render(), StringComparison.Ordinal);
    }
}
