using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Binding;

/// <summary>
/// A pricing whose only charge is a C# script has no price list to take a currency from (docs/dsl-spec.md §9.1):
/// it bills in the currency its contract declares, and the checker insists on that declaration.
/// </summary>
public class ScriptPricingCurrencyTests
{
    private const string Rules = """"
        event task.done {
          task_id: string
        }
        outcome task from task.done {
          key task_id
        }
        pricing p {
        PRICES  charge task {
            script """return 2m * charge.BilledQuantity;"""
          }
        }
        contract c version 1 effective 2026-01-01 {
          customers default
          pricing p
        CURRENCY}

        """";

    private static RuleSetCompilation Compile(string prices, string currency) =>
        RuleSetCompiler.Compile(
            [new SourceText("s.rules", Rules.Replace("PRICES", prices, StringComparison.Ordinal).Replace("CURRENCY", currency, StringComparison.Ordinal))],
            new CompileOptions { AllowScripts = true });

    [Fact]
    public void A_script_only_pricing_needs_its_contract_to_declare_the_currency_with_a_caret_on_the_contract()
    {
        var compilation = Compile("", "");

        Assert.False(compilation.Success);
        Assert.Equal(
            """
            s.rules:12:10: error RB0108: contract 'c' needs a 'currency' clause because pricing 'p' has no prices to take it from; add e.g. 'currency USD'
              contract c version 1 effective 2026-01-01 {
                       ^
            """.ReplaceLineEndings("\n"),
            compilation.Render());
    }

    [Fact]
    public void A_script_only_pricing_bills_in_the_declared_contract_currency()
    {
        var compilation = Compile("", "  currency JPY\n");

        Assert.True(compilation.Success, compilation.Render());
        var version = Assert.Single(compilation.RuleSet!.Contracts);
        Assert.Equal("JPY", version.Currency);
        Assert.Empty(compilation.RuleSet.Pricings["p"].Currencies);
    }

    [Fact]
    public void A_price_list_next_to_the_script_must_still_have_the_contract_currency()
    {
        var compilation = Compile("  base 10 EUR\n", "  currency USD\n");

        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.Equal(("RB0402", (8, 8)), (diagnostic.Code, diagnostic.Position));
    }
}
