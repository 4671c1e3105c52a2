using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

public class PeriodCalculatorTests
{
    private static readonly DateOnly Origin = new(2026, 1, 31);

    private static (string, string) Period(BillingPeriod period, string at, DateOnly? origin = null)
    {
        var range = PeriodCalculator.Containing(period, origin ?? Origin, At(at));
        return (range.From.ToString("yyyy-MM-dd"), range.To.ToString("yyyy-MM-dd"));
    }

    [Theory]
    [InlineData(1, "2026-02-14T12:00:00Z", "2026-02-01", "2026-03-01")]
    [InlineData(1, "2026-03-01T00:00:00Z", "2026-03-01", "2026-04-01")]
    [InlineData(1, "2026-02-28T23:59:59Z", "2026-02-01", "2026-03-01")]
    [InlineData(15, "2026-02-14T23:59:59Z", "2026-01-15", "2026-02-15")]
    [InlineData(15, "2026-02-15T00:00:00Z", "2026-02-15", "2026-03-15")]
    [InlineData(15, "2026-12-20T00:00:00Z", "2026-12-15", "2027-01-15")]
    [InlineData(31, "2026-02-10T00:00:00Z", "2026-01-31", "2026-02-28")]
    [InlineData(31, "2026-02-28T00:00:00Z", "2026-02-28", "2026-03-31")]
    [InlineData(31, "2026-04-30T00:00:00Z", "2026-04-30", "2026-05-31")]
    [InlineData(31, "2028-02-28T00:00:00Z", "2028-01-31", "2028-02-29")]
    [InlineData(31, "2028-02-29T00:00:00Z", "2028-02-29", "2028-03-31")]
    [InlineData(30, "2026-03-01T00:00:00Z", "2026-02-28", "2026-03-30")]
    public void Monthly_periods_start_on_the_anchor_day_clamped_to_month_end(int anchor, string at, string from, string to) =>
        Assert.Equal((from, to), Period(new MonthlyPeriod(anchor), at));

    [Theory]
    [InlineData("P1M", 0, 1, 0, "2026-01-31T00:00:00Z", "2026-01-31", "2026-02-28")]
    [InlineData("P1M", 0, 1, 0, "2026-03-15T00:00:00Z", "2026-02-28", "2026-03-31")]
    [InlineData("P1M", 0, 1, 0, "2026-04-30T00:00:00Z", "2026-04-30", "2026-05-31")]
    [InlineData("P1W", 0, 0, 7, "2026-02-07T00:00:00Z", "2026-02-07", "2026-02-14")]
    [InlineData("P1W", 0, 0, 7, "2026-02-06T23:59:59Z", "2026-01-31", "2026-02-07")]
    [InlineData("P10D", 0, 0, 10, "2026-12-31T00:00:00Z", "2026-12-27", "2027-01-06")]
    [InlineData("P3M", 0, 3, 0, "2026-05-01T00:00:00Z", "2026-04-30", "2026-07-31")]
    [InlineData("P1Y", 1, 0, 0, "2027-02-01T00:00:00Z", "2027-01-31", "2028-01-31")]
    [InlineData("P1M", 0, 1, 0, "2025-12-31T00:00:00Z", "2025-12-31", "2026-01-31")]
    public void Iso_periods_are_counted_from_the_first_effective_date_without_clamping_drift(
        string iso, int years, int months, int days, string at, string from, string to) =>
        Assert.Equal((from, to), Period(new IsoPeriod(iso, years, months, days), at));

    [Fact]
    public void A_zero_iso_period_is_a_clear_error()
    {
        var error = Assert.Throws<BillingException>(() => PeriodCalculator.Containing(new IsoPeriod("P0D", 0, 0, 0), Origin, At("2026-03-01T00:00:00Z")));
        Assert.Contains("P0D", error.Message);
    }
}
