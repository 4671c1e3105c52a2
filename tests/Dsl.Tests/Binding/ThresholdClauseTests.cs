using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Binding;

/// <summary>The contract clause <c>thresholds</c> (docs/dsl-spec.md §10.9).</summary>
public sealed class ThresholdClauseTests
{
    private const string Rules = """
        event task.done {
          task_id: string
        }

        outcome task from task.done {
          key task_id
        }

        pricing p {
          charge task {
            unit 1 USD
          }
        }

        """;

    private static RuleSetCompilation Compile(string clause) => RuleSetCompiler.Compile([new SourceText("a.rules", Rules + $$"""
        contract c version 1 effective 2026-01-01 {
          customers "a"
          pricing p
          {{clause}}
        }
        """)]);

    [Theory]
    [InlineData("thresholds 100 USD", "100", null)]
    [InlineData("thresholds 100 USD, 250.50 USD then every 500 USD", "100,250.50", "500")]
    [InlineData("thresholds every 75 USD", "", "75")]
    public void The_schedule_reaches_the_compiled_contract(string clause, string amounts, string? every)
    {
        var compiled = Compile(clause);

        Assert.True(compiled.Success, compiled.Render());
        var schedule = Assert.Single(compiled.RuleSet!.Contracts).Thresholds!;
        Assert.Equal(amounts, string.Join(",", schedule.Amounts));
        Assert.Equal(every, schedule.Every?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Without_the_clause_a_contract_has_no_thresholds()
    {
        Assert.Null(Assert.Single(Compile("").RuleSet!.Contracts).Thresholds);
    }

    [Fact]
    public void Thresholds_after_the_listed_ones_step_by_every()
    {
        var schedule = Assert.Single(Compile("thresholds 100 USD, 250 USD then every 500 USD").RuleSet!.Contracts).Thresholds!;

        Assert.Equal([100m, 250m, 750m, 1250m], Enumerable.Range(0, 4).Select(i => schedule.At(i)!.Value));
        Assert.Equal(2, schedule.HighestReached(800m, 0));
        Assert.Equal(-1, schedule.HighestReached(99.99m, 0));
        Assert.Null(Assert.Single(Compile("thresholds 100 USD").RuleSet!.Contracts).Thresholds!.At(1));
    }

    [Theory]
    [InlineData("thresholds 0 USD", "a.rules:17:14: error RB0420: threshold 0 USD must be greater than 0")]
    [InlineData("thresholds 10.005 USD", "a.rules:17:14: error RB0420: threshold 10.005 USD is finer than USD's 2 decimal(s)")]
    [InlineData("thresholds 100 USD then every 0 USD", "a.rules:17:33: error RB0420: the 'every' step 0 USD must be greater than 0")]
    [InlineData("thresholds 250 USD, 100 USD", "a.rules:17:23: error RB0421: threshold 100 USD is not above the threshold before it (250 USD); list thresholds in ascending order")]
    [InlineData("thresholds 100 USD, 100 USD", "a.rules:17:23: error RB0421: threshold 100 USD is not above the threshold before it (100 USD); list thresholds in ascending order")]
    [InlineData("thresholds 100 EUR", "a.rules:17:14: error RB0422: threshold 100 EUR is in EUR, but contract 'c' bills USD; give thresholds in USD")]
    [InlineData("thresholds 100 USD then every 50 EUR", "a.rules:17:33: error RB0422: the 'every' step 50 EUR is in EUR, but contract 'c' bills USD; give thresholds in USD")]
    [InlineData("thresholds 100 USD on totl", "a.rules:17:25: error RB0424: 'on totl' is not what thresholds count (did you mean 'total'?); use 'on usage' (the default) or 'on total' (usage and the base fee)")]
    [InlineData("thresholds 100 USD\n  thresholds 200 USD", "error RB0109: contract 'c' already has a 'thresholds' clause")]
    public void Bad_schedules_are_diagnostics(string clause, string expected)
    {
        var compiled = Compile(clause);

        Assert.False(compiled.Success);
        Assert.Contains(expected, compiled.Render());
    }

    [Theory]
    [InlineData("thresholds 100 USD", ThresholdBasis.Usage)]
    [InlineData("thresholds 100 USD on usage", ThresholdBasis.Usage)]
    [InlineData("thresholds 100 USD then every 50 USD on total", ThresholdBasis.Total)]
    [InlineData("thresholds every 50 USD on total", ThresholdBasis.Total)]
    public void On_total_counts_the_base_fee_and_on_usage_is_the_default(string clause, ThresholdBasis basis)
    {
        Assert.Equal(basis, Assert.Single(Compile(clause).RuleSet!.Contracts).Thresholds!.Basis);
        var parsed = RuleParser.Parse(new SourceText("a.rules", Rules + $"contract c version 1 effective 2026-01-01 {{\n  customers \"a\"\n  pricing p\n  {clause}\n}}\n"));
        Assert.Contains($"  {clause}\n", RulePrinter.Print(parsed.File));
    }

    [Fact]
    public void A_missing_amount_is_a_syntax_error_and_the_clause_prints_back()
    {
        Assert.False(Compile("thresholds then every 5 USD").Success);
        var parsed = RuleParser.Parse(new SourceText("a.rules", Rules + "contract c version 1 effective 2026-01-01 {\n  customers \"a\"\n  pricing p\n  thresholds 100 USD, 250 USD then every 500 USD\n}\n"));
        Assert.Contains("  thresholds 100 USD, 250 USD then every 500 USD\n", RulePrinter.Print(parsed.File));
    }

    [Fact]
    public void Thresholds_with_a_coupon_and_a_tax_on_one_version_compile()
    {
        // Threshold invoices carry coupons and taxes (§10.9.1): the combination is no longer refused.
        var compiled = RuleSetCompiler.Compile([new SourceText("a.rules", Rules + """
            tax vat {
              rate 20% exclusive
            }

            coupon ten {
              percent 10%
              forever
            }

            contract c version 1 effective 2026-01-01 {
              customers "a"
              pricing p
              currency USD
              thresholds 100 USD
              coupon ten
              tax vat
            }
            """)]);

        Assert.True(compiled.Success, compiled.Render());
        var version = Assert.Single(compiled.RuleSet!.Contracts);
        Assert.NotNull(version.Thresholds);
        Assert.Equal((1, 1), (version.Coupons.Count, version.Taxes.Count));
    }
}
