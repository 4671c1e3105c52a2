using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Text;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Invoicing;

/// <summary>A contract's <c>round to</c> increment (docs/dsl-spec.md §10.6): every line on it, from the exact amount.</summary>
public sealed class RoundingIncrementTests
{
    private static readonly DateTimeOffset Jan15 = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Lines_of_a_contract_rounding_to_ten_fils_are_multiples_of_0_010_KWD_and_a_provider_takes_them()
    {
        // The §10.6 example: 1197 × 0.0125 = 14.9625 → 14.96 (not 14.963); base 10 × 14/31 = 4.516129… → 4.52.
        var plan = Plan([Charge("r", Unit(0.0125m, "KWD"), currency: "KWD")], baseFee: 10m, currency: "KWD");
        var version = Version(1, new DateOnly(2026, 1, 1), "KWD") with { RoundingIncrement = 0.010m };

        var invoice = InvoiceAssembler.Assemble(Request("KWD", Segment(plan, Many("r", 1197), Jan1, Jan15, version)));

        Assert.Equal([4.52m, 14.96m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(19.48m, invoice.Subtotal);
        Assert.Equal("14.960", RulesBilling.Engine.Rating.CurrencyMath.Format(invoice.Lines[1].Amount, "KWD"));
        Assert.Equal(14960L, ProviderMoney.ToMinorUnits(invoice.Lines[1].Amount, "KWD", PaymentProvider.Stripe));
    }

    [Fact]
    public void A_line_rounded_to_its_increment_still_explains_its_amount_step_by_step()
    {
        var plan = Plan([Charge("r", Unit(0.0125m, "KWD"), currency: "KWD")], baseFee: 10m, currency: "KWD");
        var version = Version(1, new DateOnly(2026, 1, 1), "KWD") with { RoundingIncrement = 0.010m };

        var invoice = InvoiceAssembler.Assemble(Request("KWD", Segment(plan, Many("r", 1197), Jan1, Jan15, version)));

        // The steps add up to the line: 14.9625 then −0.0025 for the 0.010 KWD increment (not 14.963 ≠ 14.960).
        Assert.All(invoice.Lines, line => Assert.Equal(line.Amount, RulesBilling.Engine.Rating.CurrencyMath.RoundHalfUp(line.Breakdown.Sum(s => s.Amount), "KWD")));
        var rounding = Assert.Single(invoice.Lines[1].Breakdown, s => s.Kind == "rounding");
        Assert.Equal(-0.0025m, rounding.Amount);
        Assert.Equal("rounded to 0.010 KWD: −0.0025 KWD", rounding.Text);
    }

    [Fact]
    public void Without_an_increment_the_same_line_rounds_to_fils_and_no_provider_takes_it()
    {
        var plan = Plan([Charge("r", Unit(0.0125m, "KWD"), currency: "KWD")], currency: "KWD");

        var line = Assert.Single(InvoiceAssembler.Assemble(Request("KWD", Segment(plan, Many("r", 1197), Jan1, Jan15))).Lines);

        Assert.Equal(14.963m, line.Amount);
        Assert.Throws<PaymentException>(() => ProviderMoney.ToMinorUnits(line.Amount, "KWD", PaymentProvider.Razorpay));
    }

    [Fact]
    public void The_compiled_contract_carries_its_increment()
    {
        const string rules = """
            event task.done {
              task_id: string
            }
            outcome task from task.done {
              key task_id
            }
            pricing gulf {
              charge task {
                unit 0.0125 KWD
              }
            }
            contract gulf version 1 effective 2026-01-01 {
              customers default
              pricing gulf
              round to 0.010 KWD
            }
            """;

        var compiled = RuleSetCompiler.Compile([new SourceText("gulf.rules", rules)]);

        Assert.True(compiled.Success, compiled.Render());
        Assert.Equal(0.010m, Assert.Single(compiled.RuleSet!.Contracts).RoundingIncrement);
    }
}
