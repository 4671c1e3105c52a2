using RulesBilling.Engine.Invoicing;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Periods;

/// <summary><c>timezone "…"</c> (docs/dsl-spec.md §10.4): periods and versions start at the customer's local midnight.</summary>
public sealed class TimeZonePeriodTests
{
    private static string Rules(string zone, string extra = "") => Tasks + $$"""
        pricing p {
          base 31 USD
          charge task {
            unit 1 USD
          }
        }

        contract plan version 1 effective 2026-01-01 {
          customers "acme"
          pricing p
          timezone "{{zone}}"
        }
        {{extra}}
        """;

    [Fact]
    public void A_Tokyo_month_starts_at_15_00_UTC_the_day_before_and_an_event_at_01_00_local_on_Feb_1_is_billed_in_February()
    {
        // 2026-01-31T16:00Z is 2026-02-01 01:00 in Tokyo (UTC+9).
        var invoices = Bill(Compile(Rules("Asia/Tokyo")), Task("late", "acme", "2026-01-31T16:00:00Z"), Task("early", "acme", "2026-01-31T14:00:00Z"));

        Assert.Equal(
        [
            (new DateTimeOffset(2025, 12, 31, 15, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 31, 15, 0, 0, TimeSpan.Zero), "agent/early"),
            (new DateTimeOffset(2026, 1, 31, 15, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 28, 15, 0, 0, TimeSpan.Zero), "agent/late"),
        ], invoices.Select(i => (i.PeriodFrom, i.PeriodTo, Assert.Single(i.Lines, l => l.Kind == LineKind.Charge).Events.Single())));
    }

    [Fact]
    public void A_version_change_in_a_DST_month_prorates_by_local_days_not_by_hours()
    {
        // New York springs forward on 2026-03-08: March is 31 local days but 743 hours. Version 2 from the 15th:
        // 31 × 14/31 = 14.00 and 62 × 17/31 = 34.00 (by hours it would be 13.98 and 34.04).
        var v2 = """
            pricing q {
              base 62 USD
              charge task {
                unit 1 USD
              }
            }

            contract plan version 2 effective 2026-03-15 {
              customers "acme"
              pricing q
              timezone "America/New_York"
            }
            """;
        var invoice = Assert.Single(Bill(Compile(Rules("America/New_York", v2)), Task("t", "acme", "2026-03-20T12:00:00Z")));

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 5, 0, 0, TimeSpan.Zero), invoice.PeriodFrom);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero), invoice.PeriodTo);
        var bases = invoice.Lines.Where(l => l.Kind == LineKind.Base).ToList();
        Assert.Equal([14.00m, 34.00m], bases.Select(l => l.Amount));
        Assert.Equal(["prorated 14d of 31d", "prorated 17d of 31d"], bases.Select(l => l.Note));
        // The segments meet at local midnight of the 15th, 04:00 UTC (EDT).
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 4, 0, 0, TimeSpan.Zero), bases[1].SegmentFrom);
    }

    [Fact]
    public void A_whole_DST_month_bills_the_full_fee()
    {
        var invoice = Assert.Single(Bill(Compile(Rules("America/New_York")), Task("t", "acme", "2026-11-10T12:00:00Z")));

        // November 2026 falls back on the 1st at 02:00: 30 local days, 721 hours, still one full fee.
        Assert.Equal((new DateTimeOffset(2026, 11, 1, 4, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero)), (invoice.PeriodFrom, invoice.PeriodTo));
        var line = Assert.Single(invoice.Lines, l => l.Kind == LineKind.Base);
        Assert.Equal((31.00m, (string?)null), (line.Amount, line.Note));
    }
}
