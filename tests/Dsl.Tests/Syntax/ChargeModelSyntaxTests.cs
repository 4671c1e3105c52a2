using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Syntax;

/// <summary>Tier flat fees, graduated percent, fee plus percent with a free amount, dynamic (docs/dsl-spec.md §9.5.1–§9.5.4).</summary>
public sealed class ChargeModelSyntaxTests
{
    private const string Rules = """
        event money.moved {
          move_id: string
          total: money USD
        }
        outcome move from money.moved {
          key move_id
          value total
        }
        pricing p {
          charge move where true {
            graduated when used { up to 100 at 1 USD, 0.9 EUR plus 10 USD, 9 EUR; rest flat 50 USD, 45 EUR }
          }
          charge move where false {
            graduated percent of value { up to 1000 USD, 920 EUR at 1% plus 200 USD, 184 EUR; rest at 3% }
          }
          charge move where 1 == 2 {
            free 2
            free 500 USD, 460 EUR
            percent 2.9% of value plus 0.30 USD, 0.25 EUR min 0.50 USD, 0.45 EUR max 25 USD, 23 EUR
          }
          charge move {
            dynamic value per unit times 1.2
          }
        }
        """;

    private static PricingPlan Compile(string text)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("m.rules", text)]);
        Assert.True(compilation.Success, compilation.Render());
        return compilation.RuleSet!.Pricings["p"];
    }

    [Fact]
    public void Every_new_clause_compiles_to_its_model()
    {
        var charges = Compile(Rules).Charges;

        var tiered = Assert.IsType<TieredModel>(charges[0].Model);
        Assert.True(tiered.FlatOnlyWhenUsed);
        Assert.Equal(10m, tiered.Tiers[0].Flat!.In("USD"));
        Assert.Equal(9m, tiered.Tiers[0].Flat!.In("EUR"));
        Assert.Equal(0m, tiered.Tiers[1].Price.In("EUR"));
        Assert.Equal(45m, tiered.Tiers[1].Flat!.In("EUR"));

        var graduated = Assert.IsType<GraduatedPercentModel>(charges[1].Model);
        Assert.False(graduated.FlatOnlyWhenUsed);
        Assert.Equal([0.01m, 0.03m], graduated.Tiers.Select(t => t.Rate));
        Assert.Equal(920m, graduated.Tiers[0].UpTo!.In("EUR"));
        Assert.Null(graduated.Tiers[1].UpTo);
        Assert.Null(graduated.Tiers[1].Flat);

        var percent = Assert.IsType<PercentModel>(charges[2].Model);
        Assert.Equal(2m, charges[2].FreeUnits);
        Assert.Equal(460m, percent.FreeAmount!.In("EUR"));
        Assert.Equal(0.30m, percent.Fee!.In("USD"));
        Assert.Equal(23m, percent.Max!.In("EUR"));

        Assert.Equal(new DynamicModel(true, 1.2m), charges[3].Model);
    }

    [Fact]
    public void Printing_the_new_clauses_parses_back_to_the_same_text()
    {
        var once = RulePrinter.Print(RuleParser.Parse(new SourceText("m.rules", Rules)).File);
        var reparsed = RuleParser.Parse(new SourceText("printed.rules", once));

        Assert.Empty(reparsed.Diagnostics);
        Assert.Equal(once, RulePrinter.Print(reparsed.File));
        Assert.Contains("up to 100 at 1 USD, 0.9 EUR plus 10 USD, 9 EUR", once);
        Assert.Contains("graduated percent of value {", once);
        Assert.Contains("dynamic value per unit times 1.2", once);
        Assert.Contains("free 500 USD, 460 EUR", once);
        Assert.Equal(Compile(Rules).Charges.Select(c => c.Model.GetType()), Compile(once).Charges.Select(c => c.Model.GetType()));
    }

    [Fact]
    public void Plus_and_flat_stay_usable_as_field_names()
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("f.rules", """
            event e.done {
              plus: string
              flat: decimal
              dynamic: string
            }
            outcome o from e.done {
              key plus + dynamic
              quantity flat
            }
            """)]);

        Assert.True(compilation.Success, compilation.Render());
    }

    [Fact]
    public void Graduated_percent_bounds_ascend_per_currency_and_end_with_rest()
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("b.rules", """
            event money.moved {
              move_id: string
              total: money USD
            }
            outcome move from money.moved {
              key move_id
              value total
            }
            pricing p {
              charge move {
                graduated percent of value { up to 1000 USD at 1%; up to 500 USD at 2%; up to 2000 USD at 3% }
              }
            }
            """)]);

        Assert.Equal(["RB0301", "RB0302"], compilation.Diagnostics.Select(d => d.Code));
        Assert.Contains("'up to 500 USD' comes after 'up to 1000 USD'", compilation.Diagnostics[0].Message);
    }

    [Fact]
    public void A_dynamic_price_in_another_currency_than_the_contract_is_refused_when_checked()
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("c.rules", """
            event llm.billed {
              call_id: string
              price: money USD
            }
            outcome llm_call from llm.billed {
              key call_id
              value price
            }
            pricing p {
              charge llm_call { dynamic value }
            }
            contract c version 1 effective 2026-01-01 {
              customers default
              pricing p
              currency EUR
              period monthly
            }
            """)]);

        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.Equal("RB0202", diagnostic.Code);
        Assert.Contains("bills the prices carried on outcome 'llm_call' in USD, but contract 'c' version 1", diagnostic.Message);
    }

    [Theory]
    [InlineData("graduated { up to 10 at 1 USD pluss 5 USD; rest at 1 USD }", "unexpected identifier `pluss`, expected tier or `}` (did you mean 'plus'?)")]
    [InlineData("dynamc value", "unexpected identifier `dynamc`, expected charge clause or `}` (did you mean 'dynamic'?)")]
    [InlineData("graduatd { rest at 1 USD }", "unexpected identifier `graduatd`, expected charge clause or `}` (did you mean 'graduated'?)")]
    public void A_misspelt_charge_word_gets_a_did_you_mean(string charge, string expected)
    {
        var result = RuleParser.Parse(new SourceText("t.rules", "pricing p {\n  charge a {\n    " + charge + "\n  }\n}\n"));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("RB0002", diagnostic.Code);
        Assert.Equal(expected, diagnostic.Message);
    }
}
