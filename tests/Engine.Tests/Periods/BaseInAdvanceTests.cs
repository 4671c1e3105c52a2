using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Periods;

/// <summary>
/// <c>base P in advance</c> (docs/dsl-spec.md §10.7) reproduces Flexprice's published proration
/// (internal/domain/proration/calculator_test.go): March 2024, change on the 15th, 17 of 31 days left.
/// </summary>
public sealed class BaseInAdvanceTests
{
    private static string Rules(decimal oldFee, decimal newFee) => Tasks + $$"""
        pricing basic {
          base {{oldFee}} USD in advance
          charge task {
            unit 1 USD
          }
        }

        pricing pro {
          base {{newFee}} USD in advance
          charge task {
            unit 1 USD
          }
        }

        contract plan version 1 effective 2024-03-01 {
          customers "acme"
          pricing basic
        }

        contract plan version 2 effective 2024-03-15 {
          customers "acme"
          pricing pro
        }
        """;

    [Theory]
    // Flexprice basic_upgrade_immediate: credit −10 × 17/31 = −5.48, charge 20 × 17/31 = 10.97, net 5.49.
    [InlineData(10, 20, "-5.48", "10.97", "5.49")]
    // Flexprice downgrade_with_credit_cap: 100 paid (2 × 50), new 30: −54.84 + 16.45 = −38.39.
    [InlineData(100, 30, "-54.84", "16.45", "-38.39")]
    public void A_mid_period_change_credits_the_unused_old_fee_and_charges_the_new_fee_for_the_rest(
        int oldFee, int newFee, string credit, string charge, string net)
    {
        var invoice = BillOne(Compile(Rules(oldFee, newFee)), Task("t1", "acme", "2024-03-20T10:00:00Z"));

        var bases = invoice.Lines.Where(l => l.Kind == LineKind.Base).ToList();
        Assert.Equal(
        [
            ("Base fee (in advance)", 1, (decimal)oldFee),
            ("Base fee credit (unused)", 1, decimal.Parse(credit)),
            ("Base fee (in advance)", 2, decimal.Parse(charge)),
        ], bases.Select(l => (l.Description, l.Version, l.Amount)));
        // The change costs exactly the sum of its rounded lines.
        Assert.Equal(decimal.Parse(net), bases[1].Amount + bases[2].Amount);
        Assert.Equal(oldFee + decimal.Parse(net) + 1.00m, invoice.Total);
        Assert.Equal(invoice.Lines.Sum(l => l.Amount), invoice.Total);
        Assert.Equal("credit for the unused 17d of 31d after version 1 ends", bases[1].Note);
        Assert.Equal("billed in advance from the change: 17d of 31d", bases[2].Note);
        Assert.All(bases, l => Assert.Equal(l.Amount, CurrencyMath.RoundHalfUp(l.Breakdown.Sum(s => s.Amount), "USD")));
    }

    [Fact]
    public void Without_a_change_the_full_fee_is_billed_for_the_period()
    {
        // April 2024 is under version 2 throughout.
        var invoice = BillOne(Compile(Rules(10, 20)), Task("t1", "acme", "2024-04-05T10:00:00Z"));

        var line = Assert.Single(invoice.Lines, l => l.Kind == LineKind.Base);
        Assert.Equal(("Base fee (in advance)", 20.00m, "billed in advance for the period"), (line.Description, line.Amount, line.Note));
        Assert.Equal("1 × 20.00 USD = 20.00 USD", Assert.Single(line.Breakdown).Text);
    }

    [Fact]
    public void In_arrears_the_same_change_prorates_each_fee_over_its_own_segment()
    {
        // 10 × 14/31 = 4.516… → 4.52 and 20 × 17/31 = 10.967… → 10.97: 15.49, the in-advance total 10 − 5.48 + 10.97.
        var invoice = BillOne(Compile(Rules(10, 20).Replace(" in advance", "")), Task("t1", "acme", "2024-03-20T10:00:00Z"));

        Assert.Equal([4.52m, 10.97m], invoice.Lines.Where(l => l.Kind == LineKind.Base).Select(l => l.Amount));
    }
}
