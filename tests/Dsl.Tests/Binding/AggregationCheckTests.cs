using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Binding;

/// <summary>The <c>aggregate</c> charge clause (docs/dsl-spec.md §9.12): parsing, printing, checks with suggestions, the compiled model.</summary>
public sealed class AggregationCheckTests
{
    private const string Head = """
        event storage.sampled {
          gb: decimal
          day: string
        }
        outcome storage from storage.sampled {
          quantity gb
          dimensions { region: day }
        }

        """;

    private static RuleSetCompilation Compile(string pricing) => RuleSetCompiler.Compile([new SourceText("agg.rules", Head + pricing)]);

    private static Diagnostic Single(string pricing) => Assert.Single(Compile(pricing).Diagnostics);

    [Fact]
    public void A_misspelt_aggregation_is_RB0330_with_a_suggestion_at_the_name()
    {
        var d = Single("pricing p { charge storage { aggregate maxx unit 1 USD } }");
        Assert.Equal("RB0330", d.Code);
        Assert.Equal("'maxx' is not an aggregation (did you mean 'max'?); use one of count, latest, max, min, sum, unique, weighted_sum", d.Message);
        Assert.Equal((9, 40), d.Position);
        Assert.Contains("(did you mean 'weighted_sum'?)", Single("pricing p { charge storage { aggregate weighted_summ unit 1 USD } }").Message);
    }

    [Fact]
    public void A_misspelt_bucket_is_RB0331_with_a_suggestion()
    {
        var d = Single("pricing p { charge storage { aggregate max per hours unit 1 USD } }");
        Assert.Equal("RB0331", d.Code);
        Assert.Equal("'hours' is not a time bucket (did you mean 'hour'?); use minute, hour or day", d.Message);
    }

    [Fact]
    public void Unique_of_an_optional_dimension_must_give_a_default()
    {
        Assert.Equal("RB0204", Single("pricing p { charge storage { aggregate unique of region unit 1 USD } }").Code);
        Assert.Equal("RB0201", Single("pricing p { charge storage { aggregate unique of region ?? \"\" == \"eu\" unit 1 USD } }").Code);
        Assert.True(Compile("pricing p { charge storage { aggregate unique of region ?? \"none\" unit 1 USD } }").Success);
    }

    [Fact]
    public void A_second_aggregate_is_RB0109()
    {
        Assert.Equal("RB0109", Single("pricing p { charge storage { aggregate max aggregate min unit 1 USD } }").Code);
    }

    [Fact]
    public void Priced_separately_needs_a_bucket_and_both_words()
    {
        Assert.Equal("RB0002", Compile("pricing p { charge storage { aggregate max priced separately unit 1 USD } }").Diagnostics[0].Code);
        Assert.Equal("RB0002", Compile("pricing p { charge storage { aggregate max per day priced unit 1 USD } }").Diagnostics[0].Code);
    }

    [Fact]
    public void The_words_stay_usable_as_field_names_and_the_clause_compiles_to_the_model()
    {
        // `day` is a field of the event above, and `latest`/`per` work as dimension names.
        var compilation = Compile("pricing p { charge storage { aggregate max per day priced separately unit 1 USD } charge storage { aggregate latest unit 1 USD } }");
        Assert.True(compilation.Success, compilation.Render());
        var charges = compilation.RuleSet!.Pricings["p"].Charges;
        Assert.Equal(new ChargeAggregation(AggregationKind.Max, null, null, AggregationBucket.Day, true), charges[0].Aggregation);
        Assert.Equal("max per day", charges[0].Aggregation!.Describe());
        Assert.Equal(AggregationKind.Latest, charges[1].Aggregation!.Kind);
        Assert.False(compilation.RuleSet.Outcomes.Single().SignedQuantity);
    }

    [Fact]
    public void A_weighted_sum_charge_makes_its_outcome_signed()
    {
        var compilation = Compile("pricing p { charge storage { aggregate weighted_sum unit 1 USD } }");
        Assert.True(compilation.Success, compilation.Render());
        var outcome = compilation.RuleSet!.Outcomes.Single();
        Assert.True(outcome.SignedQuantity);
    }

    [Fact]
    public void Unique_reads_the_dimensions_numbers_formatted_invariantly()
    {
        var compilation = Compile("pricing p { charge storage { aggregate unique of len(region ?? \"\") unit 1 USD } }");
        Assert.True(compilation.Success, compilation.Render());
        var of = compilation.RuleSet!.Pricings["p"].Charges[0].Aggregation!.UniqueOf!;
        Assert.Equal("2", of(new Dictionary<string, string?> { ["region"] = "eu" }));
        Assert.Equal("0", of(new Dictionary<string, string?> { ["region"] = null }));
    }

    [Fact]
    public void The_printer_writes_the_clause_back_and_it_reparses_the_same()
    {
        var source = Head + "pricing p {\n  charge storage {\n    aggregate unique of region ?? \"x\" per hour priced separately\n    unit 1 USD\n  }\n}\n";
        var printed = RulePrinter.Print(RuleParser.Parse(new SourceText("a.rules", source)).File);
        Assert.Contains("aggregate unique of region ?? \"x\" per hour priced separately\n", printed);
        Assert.Equal(printed, RulePrinter.Print(RuleParser.Parse(new SourceText("b.rules", printed)).File));
    }
}
