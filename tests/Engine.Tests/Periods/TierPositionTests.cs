using RulesBilling.Engine.Invoicing;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Periods;

/// <summary>
/// Tier position across the segments of a split period (docs/dsl-spec.md §10.5). The worked example: 800 units before
/// and 800 after a price cut on Jan 15. Without the cut the month is 1000 × 0.10 + 600 × 0.05 = 130.00.
/// </summary>
public sealed class TierPositionTests
{
    private static string Rules(string? tiers) => Tasks + $$"""
        pricing launch {
          charge task {
            graduated {
              up to 1000 at 0.10 USD
              rest at 0.05 USD
            }
          }
        }

        pricing cut {
          charge task {
            graduated {
              up to 1000 at 0.09 USD
              rest at 0.04 USD
            }
          }
        }

        contract plan version 1 effective 2026-01-01 {
          customers "acme"
          pricing launch
        }

        contract plan version 2 effective 2026-01-15 {
          customers "acme"
          pricing cut
          {{tiers ?? ""}}
        }
        """;

    private static readonly string[] Usage =
    [
        Task("a", "acme", "2026-01-05T10:00:00Z", 400), Task("b", "acme", "2026-01-10T10:00:00Z", 400),
        Task("c", "acme", "2026-01-20T10:00:00Z", 400), Task("d", "acme", "2026-01-25T10:00:00Z", 400),
    ];

    [Theory]
    // Restart: 800 × 0.10 + 800 × 0.09 = 152.00, more than without the cut (130.00).
    [InlineData("tiers restart", 80.00, 72.00)]
    // Carry: units 801–1600 under the cut: 200 × 0.09 + 600 × 0.04 = 42.00; 122.00 in all.
    [InlineData("tiers carry", 80.00, 42.00)]
    // Default: the lower of the two, here the carry.
    [InlineData(null, 80.00, 42.00)]
    public void A_price_cut_mid_period_never_costs_more_by_default(string? tiers, decimal first, decimal second)
    {
        var invoice = BillOne(Compile(Rules(tiers)), Usage);

        Assert.Equal([first, second], invoice.Lines.Select(l => l.Amount));
        Assert.True(tiers == "tiers restart" || invoice.Total <= 130.00m);
    }

    [Fact]
    public void A_carried_line_says_which_units_of_the_period_it_bills_and_shows_its_tiers()
    {
        var line = BillOne(Compile(Rules(null)), Usage).Lines[1];

        Assert.Equal("tier position carried from earlier in the period: units 801–1600", line.Note);
        Assert.Equal(
        [
            "over 800 up to 1000: 200 × 0.09 USD = 18.00 USD",
            "over 1000: 600 × 0.04 USD = 24.00 USD",
        ], line.Breakdown.Select(s => s.Text));
    }

    [Fact]
    public void Volume_tiers_by_the_periods_units_price_each_segment_at_the_tier_the_whole_period_reaches()
    {
        // 600 + 600 units; volume up to 1000 at 0.10, rest at 0.06. Restart: 60 + 60; carry: 60 + 36;
        // tiers period (Lago's prorated volume): the period's 1200 units reach 0.06 in both segments: 36 + 36.
        var rules = Tasks + """
            pricing vol {
              charge task {
                volume {
                  up to 1000 at 0.10 USD
                  rest at 0.06 USD
                }
              }
            }

            contract plan version 1 effective 2026-01-01 {
              customers "acme"
              pricing vol
              tiers period
            }

            contract plan version 2 effective 2026-01-15 {
              customers "acme"
              pricing vol
              tiers period
            }
            """;
        var events = new[] { Task("a", "acme", "2026-01-05T10:00:00Z", 600), Task("b", "acme", "2026-01-20T10:00:00Z", 600) };

        var invoice = BillOne(Compile(rules), events);
        Assert.Equal([36.00m, 36.00m], invoice.Lines.Select(l => l.Amount));
        Assert.All(invoice.Lines, l => Assert.Equal("volume tier chosen by the period's 1200 units (all segments)", l.Note));

        Assert.Equal([60.00m, 36.00m], BillOne(Compile(rules.Replace("tiers period", "tiers carry")), events).Lines.Select(l => l.Amount));
        Assert.Equal([60.00m, 60.00m], BillOne(Compile(rules.Replace("tiers period", "tiers restart")), events).Lines.Select(l => l.Amount));
    }

    [Fact]
    public void Without_a_version_change_nothing_is_carried_and_the_line_is_unchanged()
    {
        var invoice = BillOne(Compile(Rules(null)), Task("a", "acme", "2026-01-05T10:00:00Z", 1200));

        // 1000 × 0.10 + 200 × 0.05 = 110.00 in version 1's segment; version 2's segment bills nothing.
        Assert.Equal([(110.00m, (string?)null), (0m, null)], invoice.Lines.Select(l => (l.Amount, l.Note)));
    }
}
