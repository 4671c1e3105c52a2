using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Periods;

/// <summary>
/// Tier flat fees on a period split by a version change (docs/dsl-spec.md §9.5.1, §10.5): except with
/// <c>tiers restart</c>, a tier whose flat fee an earlier segment billed does not bill it again. The tiers: up to 100 at
/// 1.00 USD plus 10 USD, up to 1000 at 0.80 USD plus 20 USD, rest at 0.50 USD plus 50 USD; 120 units in one segment
/// bill 100 + 16 + 10 + 20 = 146.00.
/// </summary>
public sealed class TierFlatFeeSegmentTests
{
    private static string Rules(string mode, string? tiers, string? firstTiers = null) => Tasks + $$"""
        pricing flats {
          charge task {
            {{mode}} {
              up to 100 at 1.00 USD plus 10 USD
              up to 1000 at 0.80 USD plus 20 USD
              rest at 0.50 USD plus 50 USD
            }
          }
        }

        contract plan version 1 effective 2026-01-01 {
          customers "acme"
          pricing flats
          {{firstTiers ?? ""}}
        }

        contract plan version 2 effective 2026-01-15 {
          customers "acme"
          pricing flats
          {{tiers ?? ""}}
        }
        """;

    private static readonly string[] Split = [Task("a", "acme", "2026-01-05T10:00:00Z", 60), Task("b", "acme", "2026-01-20T10:00:00Z", 60)];

    [Theory]
    // Restart: each segment is rated on its own, first tier's flat fee in both (as a new subscription would be).
    [InlineData("tiers restart", 70.00, 70.00)]
    // Carry: units 61–120 are 40 × 1.00 + 20 × 0.80 and enter tier 2 (20.00); tier 1's 10.00 was billed before.
    [InlineData("tiers carry", 70.00, 76.00)]
    // Default: the lower of carry (76.00) and a restart without the flat fee already billed (60 × 1.00).
    [InlineData(null, 70.00, 60.00)]
    public void A_graduated_tiers_flat_fee_is_billed_once_in_the_period_unless_tiers_restart(string? tiers, decimal first, decimal second)
    {
        var invoice = BillOne(Compile(Rules("graduated", tiers)), Split);

        Assert.Equal([first, second], invoice.Lines.Select(l => l.Amount));
        if (tiers == "tiers carry")
        {
            Assert.Equal(146.00m, invoice.Total);
            Assert.Equal(["tier", "tier", "tier-flat"], invoice.Lines[1].Breakdown.Select(s => s.Kind));
        }
        if (tiers is null)
            Assert.Contains("flat fee of tier up to 100 already billed earlier in the period", invoice.Lines[1].Note);
    }

    [Theory]
    [InlineData("tiers carry")]
    [InlineData(null)]
    public void A_segment_without_usage_does_not_bill_the_first_tiers_flat_fee_a_second_time(string? tiers)
    {
        var invoice = BillOne(Compile(Rules("graduated", tiers)), Split[0]);

        Assert.Equal([70.00m, 0.00m], invoice.Lines.Select(l => l.Amount));
    }

    [Fact]
    public void A_restart_segment_without_usage_bills_the_first_tiers_flat_fee_again()
    {
        var invoice = BillOne(Compile(Rules("graduated", "tiers restart")), Split[0]);

        Assert.Equal([70.00m, 10.00m], invoice.Lines.Select(l => l.Amount));
    }

    [Fact]
    public void Volume_tiers_by_the_periods_units_bill_the_periods_tier_flat_fee_once()
    {
        // 120 units in the period: tier 2, 0.80 a unit, flat 20; one segment would bill 120 × 0.80 + 20 = 116.00.
        var invoice = BillOne(Compile(Rules("volume", "tiers period", "tiers period")), Split);

        Assert.Equal([68.00m, 48.00m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(116.00m, invoice.Total);
    }

    private static readonly PricingPlan Flats = Plan([Charge("task", new TieredModel(TierModeKind.Graduated,
    [
        new TierRule(100m, Price(1.00m), Price(10m)),
        new TierRule(1000m, Price(0.80m), Price(20m)),
        new TierRule(null, Price(0.50m), Price(50m)),
    ]))]);

    private static readonly DateTimeOffset Jan15 = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    private static decimal Billed(TierPosition tiers, int before, int after)
    {
        var v1 = Version(1, new DateOnly(2026, 1, 1));
        var v2 = Version(2, new DateOnly(2026, 1, 15)) with { Tiers = tiers };
        var early = Segment(Flats, before == 0 ? [] : [Outcome("task", 1, quantity: before, at: Jan1.AddDays(2))], Jan1, Jan15, v1);
        var late = Segment(Flats, after == 0 ? [] : [Outcome("task", 2, quantity: after, at: Jan15.AddDays(2))], Jan15, Feb1, v2);
        return InvoiceAssembler.Assemble(Request(early, late)).Total;
    }

    private static decimal Unsplit(int units) =>
        InvoiceAssembler.Assemble(Request(Segment(Flats, units == 0 ? [] : [Outcome("task", 1, quantity: units, at: Jan1.AddDays(2))]))).Total;

    /// <summary>
    /// Carrying the tier position across an unchanged price splits nothing: the period bills what one segment would,
    /// flat fees included; the default never bills more than that, and restarting never less.
    /// </summary>
    [Property]
    public bool Carried_tiers_with_flat_fees_bill_what_one_segment_would(NonNegativeInt a, NonNegativeInt b)
    {
        var (before, after) = (a.Get % 3000, b.Get % 3000);
        var whole = Unsplit(before + after);
        return Billed(TierPosition.Carry, before, after) == whole
            && Billed(TierPosition.Lower, before, after) <= whole
            && Billed(TierPosition.Restart, before, after) >= Billed(TierPosition.Lower, before, after);
    }
}
