using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Compilation;

/// <summary>matches, substring, split and email_domain (docs/dsl-spec.md §4.2): values, diagnostics, totality.</summary>
public sealed class StringFunctionTests
{
    private static string Rules(string dimension) => $$"""
        event lead.created {
          lead_id: string
          email: string
          tags: string
          start: integer
        }

        outcome lead from lead.created {
          key lead_id
          dimensions { d: {{dimension}} }
        }
        """;

    private static Func<RuleEvent, string?> Dimension(string expression)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("s.rules", Rules(expression))]);
        Assert.Equal("", compilation.Render());
        return Assert.Single(Assert.Single(compilation.RuleSet!.Outcomes).Dimensions).Selector;
    }

    private static RuleEvent Lead(string email, string tags = "", int start = 0) =>
        new("e1", "crm", "lead.created", "acme", DateTimeOffset.UnixEpoch, ["L-1", email, tags, (decimal)start]);

    [Theory]
    [InlineData("Bob@Example.COM", "example.com")]
    [InlineData("  ann@sub.corp.io ", "sub.corp.io")]
    [InlineData("\"a@b\"@mail.example", "mail.example")]
    [InlineData("no-at-sign", "")]
    [InlineData("trailing@", "")]
    [InlineData("", "")]
    public void Email_domain_is_after_the_last_at_trimmed_and_lower_case(string email, string expected) =>
        Assert.Equal(expected, Dimension("email_domain(email)")(Lead(email)));

    [Theory]
    [InlineData("a,b,c", 0, "a")]
    [InlineData("a,b,c", 2, "c")]
    [InlineData("a,b,c", 3, "")]
    [InlineData("a,,c", 1, "")]
    [InlineData("", 0, "")]
    [InlineData("a,b", -1, "")]
    public void Split_gives_the_part_at_an_index_or_empty(string tags, int index, string expected) =>
        Assert.Equal(expected, Dimension("split(tags, \",\", start)")(Lead("x", tags, index)));

    [Theory]
    [InlineData("ticket-42", 0, "tic")]
    [InlineData("ticket-42", 7, "42")]
    [InlineData("ticket-42", 9, "")]
    [InlineData("ticket-42", 50, "")]
    [InlineData("ticket-42", -5, "tic")]
    public void Substring_clamps_to_the_text(string tags, int start, string expected) =>
        Assert.Equal(expected, Dimension("substring(tags, start, 3)")(Lead("x", tags, start)));

    [Theory]
    [InlineData("bob@gmail.com", "free")]
    [InlineData("BOB@YAHOO.COM", "free")]
    [InlineData("bob@acme.io", "business")]
    [InlineData("bob@gmail.com.evil.io", "business")]
    public void Matches_tests_a_pattern_compiled_once(string email, string expected)
    {
        var selector = Dimension("if matches(email, \"(?i)@(gmail|yahoo)[.]com$\") then \"free\" else \"business\"");
        Assert.Equal(expected, selector(Lead(email)));
    }

    private static string Diagnostics(string expression) =>
        RuleSetCompiler.Compile([new SourceText("s.rules", Rules(expression))]).Render();

    [Fact]
    public void An_invalid_pattern_is_RB0210_at_the_pattern()
    {
        Assert.Equal(
            "s.rules:10:37: error RB0210: invalid regular expression: insufficient closing parentheses at offset 4 of the pattern\n" +
            "    dimensions { d: if matches(email, \"(a|b\") then \"x\" else \"y\" }\n" +
            "                                      ^^^^^^",
            Diagnostics("if matches(email, \"(a|b\") then \"x\" else \"y\"").TrimEnd('\n'));
    }

    [Fact]
    public void A_backtracking_pattern_is_RB0211()
    {
        Assert.StartsWith(
            "s.rules:10:37: error RB0211: this pattern needs backtracking (a backreference, lookaround or atomic group); matches() only takes patterns it can match in time linear in the text\n",
            Diagnostics("if matches(email, \"(a)\\\\1\") then \"x\" else \"y\""), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pattern_that_is_not_a_literal_is_RB0205()
    {
        Assert.StartsWith(
            "s.rules:10:37: error RB0205: the pattern of matches() must be a string literal, e.g. matches(email, \"@example[.]com$\"), so it is checked and compiled once\n",
            Diagnostics("if matches(email, tags) then \"x\" else \"y\""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("substring(email, 1.5, 2)", "s.rules:10:36: error RB0205: substring(string, start, length): argument 2 cannot be decimal")]
    [InlineData("split(email, \",\")", "s.rules:10:19: error RB0205: split() takes 3 arguments (string, separator, index), but got 2")]
    [InlineData("email_domain(start)", "s.rules:10:32: error RB0205: email_domain(string): argument 1 cannot be integer")]
    public void Wrong_arguments_are_RB0205(string expression, string headline) =>
        Assert.StartsWith(headline + "\n", Diagnostics(expression), StringComparison.Ordinal);

    private static readonly Func<RuleEvent, string?> EmailDomain = Dimension("email_domain(email)");
    private static readonly Func<RuleEvent, string?> SplitPart = Dimension("split(email, tags, start)");
    private static readonly Func<RuleEvent, string?> Substring = Dimension("substring(email, start, start + 3)");
    private static readonly Func<RuleEvent, string?> Matches = Dimension("if matches(email, \"^(a|b)*c[^@]*@\") then \"y\" else \"n\"");

    /// <summary>Every function gives a value on any text and any index, the same value every time, and a part of its input.</summary>
    [Property(MaxTest = 500)]
    public Property String_functions_are_total_and_deterministic_on_arbitrary_strings() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), ArbMap.Default.ArbFor<string>(), ArbMap.Default.ArbFor<int>(), (text, separator, index) =>
        {
            var evt = Lead(text ?? "", separator ?? "", index);
            var again = Lead(text ?? "", separator ?? "", index);
            var results = new[] { EmailDomain(evt), SplitPart(evt), Substring(evt), Matches(evt) };
            var repeated = new[] { EmailDomain(again), SplitPart(again), Substring(again), Matches(again) };
            return (results.SequenceEqual(repeated)
                    && results.All(r => r is not null)
                    && (text ?? "").Contains(SplitPart(evt)!, StringComparison.Ordinal)
                    && (text ?? "").Contains(Substring(evt)!, StringComparison.Ordinal)
                    && Substring(evt)!.Length <= Math.Max(0, Math.Min(index + 3, (text ?? "").Length)))
                .Label($"text: {text}, separator: {separator}, index: {index}");
        });

    /// <summary>split and join are inverse: the parts at 0, 1, … joined by the separator give the text back.</summary>
    [Property(MaxTest = 300)]
    public Property Split_parts_join_back_to_the_text() =>
        Prop.ForAll(Gen.Elements("a", ",", "ab", "-", "").ArrayOf().Select(parts => string.Concat(parts)).ToArbitrary(), text =>
        {
            var parts = new List<string>();
            for (var i = 0; i <= text.Length; i++) parts.Add(SplitPart(Lead(text, ",", i))!);
            var count = text.Split(',').Length;
            return (string.Join(",", parts.Take(count)) == text && parts.Skip(count).All(p => p == "")).Label(text);
        });
}
