using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Binding;

/// <summary>A contract's <c>period</c> and a feature limit's <c>reset</c> read ISO 8601 periods by the same rules.</summary>
public sealed class IsoPeriodTests
{
    private static RuleSetCompilation Compile(string iso) => RuleSetCompiler.Compile([new SourceText("p.rules", $$"""
        event job.done { id: string }
        outcome done from job.done { key id }
        pricing p { charge done { unit 1 USD } }
        feature jobs metered outcome done
        contract c version 1 effective 2026-01-01 {
          customers default
          pricing p
          period "{{iso}}"
          features { jobs limit 10 soft reset "{{iso}}" }
        }
        """)]);

    [Theory]
    [InlineData("P1D", 0, 0, 1)]
    [InlineData("P2W", 0, 0, 14)]
    [InlineData("P1W3D", 0, 0, 10)]
    [InlineData("P3M", 0, 3, 0)]
    [InlineData("P1Y2M", 1, 2, 0)]
    public void Period_and_reset_parse_alike(string iso, int years, int months, int days)
    {
        var compilation = Compile(iso);
        Assert.Equal("", compilation.Render());
        var expected = new IsoPeriod(iso, years, months, days);
        Assert.Equal(expected, compilation.RuleSet!.Contracts.Single().Period);
        Assert.Equal(expected, compilation.RuleSet.FeatureGrants.Single().Grants.Single().Limit!.Reset);
    }

    [Theory]
    [InlineData("P0D")]
    [InlineData("PT1H")]
    [InlineData("P1D1W")]
    [InlineData("1M")]
    public void Period_and_reset_refuse_alike(string iso)
    {
        var codes = Compile(iso).Diagnostics.Select(d => d.Code).ToArray();
        Assert.Contains("RB0407", codes);
        Assert.Contains("RB0605", codes);
    }
}
