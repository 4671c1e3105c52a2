using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Binding;

/// <summary>The contract clauses <c>timezone</c> and <c>tiers</c>, <c>base … in advance</c> and <c>pricing … extends</c> (docs/dsl-spec.md §9.13, §10).</summary>
public sealed class PeriodClauseTests
{
    private const string Tasks = """
        event task.done {
          task_id: string
        }

        outcome task from task.done {
          key task_id
        }

        """;

    private static RuleSetCompilation Compile(params (string Path, string Text)[] files) =>
        RuleSetCompiler.Compile(files.Select(f => new SourceText(f.Path, f.Text)).ToArray());

    private static string Contract(string body, string pricing = "p") => $$"""
        contract c version 1 effective 2026-01-01 {
          customers "a"
          pricing {{pricing}}
        {{body}}
        }
        """;

    private const string P = "pricing p {\n  base 10 USD in advance\n  charge task {\n    unit 1 USD\n  }\n}\n";

    [Fact]
    public void The_clauses_reach_the_compiled_contract_and_pricing()
    {
        var compiled = Compile(("a.rules", Tasks + P + Contract("  timezone \"Europe/Berlin\"\n  tiers period")));

        Assert.True(compiled.Success, compiled.Render());
        var contract = Assert.Single(compiled.RuleSet!.Contracts);
        Assert.Equal(("Europe/Berlin", TierPosition.Period), (contract.TimeZone, contract.Tiers));
        Assert.True(compiled.RuleSet.Pricings["p"].BaseInAdvance);
    }

    [Fact]
    public void Without_the_clauses_a_contract_is_UTC_carries_tiers_when_cheaper_and_bills_its_fee_in_arrears()
    {
        var compiled = Compile(("a.rules", Tasks + P.Replace(" in advance", "") + Contract("")));

        var contract = Assert.Single(compiled.RuleSet!.Contracts);
        Assert.Equal(((string?)null, TierPosition.Lower), (contract.TimeZone, contract.Tiers));
        Assert.False(compiled.RuleSet.Pricings["p"].BaseInAdvance);
    }

    [Theory]
    [InlineData("  timezone \"Asia/Tokio\"", "a.rules:17:12: error RB0410: unknown time zone \"Asia/Tokio\" (did you mean \"Asia/Tokyo\"?); use an IANA time zone id such as \"Asia/Tokyo\", \"Europe/Berlin\" or \"America/New_York\"")]
    [InlineData("  timezone \"Tokyo Standard Time\"", "RB0410: unknown time zone \"Tokyo Standard Time\"")]
    [InlineData("  tiers cary", "a.rules:17:9: error RB0411: 'tiers cary' is not a tier position (did you mean 'carry'?); use 'tiers carry', 'tiers restart' or 'tiers period'")]
    [InlineData("  tiers carry\n  tiers restart", "RB0109: contract 'c' already has a 'tiers' clause")]
    public void Bad_clauses_are_diagnostics(string body, string expected)
    {
        var compiled = Compile(("a.rules", Tasks + P + Contract(body)));

        Assert.False(compiled.Success);
        Assert.Contains(expected, compiled.Render());
    }

    [Fact]
    public void A_child_in_another_file_inherits_and_a_missing_currency_is_reported_where_the_inherited_price_is()
    {
        var parent = ("launch.rules", Tasks + "pricing launch {\n  base 100 USD\n  charge task {\n    unit 1 USD\n  }\n}\n");
        var child = ("growth.rules", "pricing growth extends launch {\n  charge task {\n    unit 0.8 USD, 0.75 EUR\n  }\n}\n"
            + Contract("  currency EUR", "growth"));

        var compiled = Compile(parent, child);

        // The inherited base fee has no EUR price: reported in launch.rules, at that price list.
        var diagnostic = Assert.Single(compiled.Diagnostics);
        Assert.Equal(("RB0402", "launch.rules"), (diagnostic.Code, diagnostic.Source.Path));
        Assert.StartsWith("launch.rules:9:8: error RB0402", compiled.Render());
    }

    [Fact]
    public void A_grandchild_inherits_through_its_parent()
    {
        var compiled = Compile(("a.rules", Tasks + """
            pricing launch {
              base 100 USD
              charge task {
                unit 1 USD
              }
              minimum 20 USD
            }

            pricing growth extends launch {
              base 120 USD
            }

            pricing scale extends growth {
              charge task {
                unit 0.5 USD
              }
            }
            """ + Contract("", "scale")));

        Assert.True(compiled.Success, compiled.Render());
        var scale = compiled.RuleSet!.Pricings["scale"];
        Assert.Equal((120m, 20m, 0.5m), (scale.BaseFee!.In("USD"), scale.Minimum!.In("USD"), ((UnitModel)Assert.Single(scale.Charges).Model).Price.In("USD")));
        Assert.Equal("growth", scale.Parent);
    }

    [Fact]
    public void A_child_of_a_broken_pricing_is_not_reported_again()
    {
        var compiled = Compile(("a.rules", Tasks + "pricing launch {\n  charge task {\n    unit 1 XYZ\n  }\n}\n"
            + "pricing growth extends launch {\n  base 1 USD\n}\n"));

        Assert.Equal(["RB0105"], compiled.Diagnostics.Select(d => d.Code));
    }
}
