using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Syntax;

public sealed class DurationLimitTests
{
    [Theory]
    [InlineData("99999999999999999999d")]
    [InlineData("10675200d")]
    [InlineData("999999999999999h")]
    public void A_duration_beyond_the_TimeSpan_range_is_a_diagnostic_not_an_exception(string literal)
    {
        var source = new SourceText("d.rules", $"event a.b {{\n  id: string\n}}\n\noutcome x from a.b {{\n  key id within {literal}\n}}\n");

        var result = RuleSetCompiler.Compile([source]);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(
            $"d.rules:6:17: error RB0004: duration `{literal}` is too long; a duration is at most 10675199 days",
            diagnostic.Headline);
        Assert.Null(result.RuleSet);
    }

    [Fact]
    public void The_longest_duration_in_whole_days_still_checks()
    {
        var source = new SourceText("d.rules", "event a.b {\n  id: string\n}\n\noutcome x from a.b {\n  key id within 10_675_199d\n}\n");

        Assert.Empty(RuleSetCompiler.Compile([source]).Diagnostics);
    }
}
