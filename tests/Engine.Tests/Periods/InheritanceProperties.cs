using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Periods;

/// <summary><c>pricing growth extends launch</c> (docs/dsl-spec.md §9.13) rates exactly like its hand-written copy.</summary>
public sealed class InheritanceProperties
{
    private const string Launch = """
        event task.done {
          task_id: string
          tier: string
        }

        outcome task from task.done {
          key task_id
          dimensions { tier: tier }
        }

        pricing launch {
          base 100 USD
          charge task where (tier ?? "") == "premium" {
            label "Premium task"
            unit 2 USD
          }
          charge task {
            free 10
            graduated {
              up to 100 at 1 USD
              rest at 0.5 USD
            }
          }
          minimum 50 USD
          cap 900 USD
        }

        """;

    private static readonly CompiledRuleSet Rules = PeriodRules.Compile(Launch + """
        pricing growth extends launch {
          base 120 USD
          charge task {
            unit 0.8 USD
          }
        }

        pricing growth_copy {
          base 120 USD
          charge task where (tier ?? "") == "premium" {
            label "Premium task"
            unit 2 USD
          }
          charge task {
            unit 0.8 USD
          }
          minimum 50 USD
          cap 900 USD
        }
        """);

    [Fact]
    public void The_child_replaces_the_charge_with_the_same_outcome_and_filter_and_inherits_the_rest()
    {
        var growth = Rules.Pricings["growth"];
        Assert.Equal("launch", growth.Parent);
        Assert.Equal(120m, growth.BaseFee!.In("USD"));
        Assert.Equal(["task where (tier ?? \"\") == \"premium\"", "task"], growth.Charges.Select(c => c.FilterText is null ? c.Outcome : $"{c.Outcome} where {c.FilterText}"));
        Assert.IsType<UnitModel>(growth.Charges[1].Model);
        Assert.Equal(0m, growth.Charges[1].FreeUnits); // a charge is replaced whole: `free 10` is not inherited
        Assert.Equal((50m, 900m), (growth.Minimum!.In("USD"), growth.Cap!.In("USD")));
    }

    [Property(MaxTest = 50)]
    public bool An_inherited_pricing_rates_identically_to_its_hand_written_copy(byte premium, byte standard, PositiveInt days)
    {
        var outcomes = Enumerable.Range(1, premium % 40).Select(n => Outcome("task", n, dimensions: new Dictionary<string, string?> { ["tier"] = "premium" }))
            .Concat(Enumerable.Range(1, standard).Select(n => Outcome("task", 500 + n, dimensions: new Dictionary<string, string?> { ["tier"] = "basic" })))
            .ToList();
        var to = Jan1.AddDays(1 + days.Get % 31);
        Invoice Rate(string pricing) => Assemble(Segment(Rules.Pricings[pricing], outcomes, Jan1, to));
        var (inherited, copy) = (Rate("growth"), Rate("growth_copy"));
        return inherited.Subtotal == copy.Subtotal
            && inherited.Lines.Select(l => (l.Kind, l.Description, l.Quantity, l.Amount, l.Note))
                .SequenceEqual(copy.Lines.Select(l => (l.Kind, l.Description, l.Quantity, l.Amount, l.Note)));
    }
}
