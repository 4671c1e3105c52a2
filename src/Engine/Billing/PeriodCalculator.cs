using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Billing;

/// <summary>Cuts time into billing periods: monthly on an anchor day (clamped to month end), or ISO PnD/PnW/PnM/PnY steps from an origin.</summary>
internal static class PeriodCalculator
{
    /// <param name="origin">The contract's first effective date: where ISO periods are counted from.</param>
    /// <exception cref="BillingException">The period would end after the last representable instant (year 9999).</exception>
    /// <param name="zone">The contract's <c>timezone</c>: periods start at its local midnights (null: UTC).</param>
    public static BillingPeriodRange Containing(BillingPeriod period, DateOnly origin, DateTimeOffset t, TimeZoneInfo? zone = null)
    {
        try
        {
            return period switch
            {
                MonthlyPeriod monthly => Monthly(monthly.AnchorDay, t.ToUniversalTime(), zone),
                IsoPeriod iso => Iso(iso, origin, t.ToUniversalTime(), zone),
                _ => throw new BillingException($"unsupported billing period {period}"),
            };
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            // A timestamp near 9999-12-31 is valid on its own, but its period's end is not a date.
            throw new BillingException($"the billing period containing {UtcTimestamp.Format(t)} would end after 9999-12-31; no invoice can cover it");
        }
    }

    private static BillingPeriodRange Monthly(int anchorDay, DateTimeOffset t, TimeZoneInfo? zone)
    {
        if (anchorDay is < 1 or > 31) throw new BillingException($"monthly anchor day must be 1..31, got {anchorDay}");
        var local = LocalTime.Wall(t, zone);
        var month = new DateOnly(local.Year, local.Month, 1);
        var start = Anchor(month, anchorDay, zone);
        return t >= start
            ? new BillingPeriodRange(start, Anchor(month.AddMonths(1), anchorDay, zone))
            : new BillingPeriodRange(Anchor(month.AddMonths(-1), anchorDay, zone), start);
    }

    /// <summary>The anchor day in <paramref name="month"/>, or its last day when the month is shorter (31 → Feb 28/29).</summary>
    private static DateTimeOffset Anchor(DateOnly month, int anchorDay, TimeZoneInfo? zone)
    {
        var day = Math.Min(anchorDay, DateTime.DaysInMonth(month.Year, month.Month));
        return LocalTime.Midnight(new DateOnly(month.Year, month.Month, day), zone);
    }

    private static BillingPeriodRange Iso(IsoPeriod iso, DateOnly origin, DateTimeOffset t, TimeZoneInfo? zone)
    {
        var months = iso.Years * 12 + iso.Months;
        if (months < 0 || iso.Days < 0 || (months == 0 && iso.Days == 0))
        {
            throw new BillingException($"billing period \"{iso.Iso}\" must be a positive number of days, weeks, months or years");
        }

        // Each start is computed from the origin (not from the previous start) so month-end clamping never drifts:
        // P1M from Jan 31 gives Feb 28, Mar 31, Apr 30.
        DateTimeOffset Start(long n) => LocalTime.Midnight(origin.AddMonths(checked((int)(n * months))).AddDays(checked((int)(n * iso.Days))), zone);

        var approxDays = months * 30.436875 + iso.Days;
        var n = (long)Math.Floor((t - UtcDate.Midnight(origin)).TotalDays / approxDays);
        while (Start(n) > t) n--;
        while (Start(n + 1) <= t) n++;
        return new BillingPeriodRange(Start(n), Start(n + 1));
    }
}
