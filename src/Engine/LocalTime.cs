using System.Collections.Concurrent;

namespace RulesBilling.Engine;

/// <summary>
/// A contract's clock (docs/dsl-spec.md §10.4): its <c>timezone</c>'s local midnights start its periods and versions,
/// and proration measures local wall-clock time, so a day is a day across a DST change (23 or 25 hours). Without a
/// zone everything is UTC, exactly as before.
/// </summary>
public static class LocalTime
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    /// <exception cref="BillingException">The zone is not known here (the checker refuses unknown ids, RB0410).</exception>
    public static TimeZoneInfo? Zone(string? id)
    {
        if (id is null) return null;
        return Zones.GetOrAdd(id, static key => TimeZoneInfo.TryFindSystemTimeZoneById(key, out var zone)
            ? zone
            : throw new BillingException($"time zone \"{key}\" is not known on this machine; install the IANA time zone database (tzdata)"));
    }

    /// <summary>
    /// The instant local midnight starts <paramref name="date"/> in the zone (UTC midnight without one). Where DST skips
    /// midnight the day starts when the clock resumes (e.g. 01:00); where midnight happens twice, at the first.
    /// </summary>
    public static DateTimeOffset Midnight(DateOnly date, TimeZoneInfo? zone)
    {
        if (zone is null) return UtcDate.Midnight(date);
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The local calendar date and wall-clock time of an instant (UTC without a zone).</summary>
    public static DateTime Wall(DateTimeOffset t, TimeZoneInfo? zone) =>
        zone is null ? t.UtcDateTime : TimeZoneInfo.ConvertTime(t, zone).DateTime;

    /// <summary>Local wall-clock length of [from, to): what proration measures (real ticks without a zone).</summary>
    public static TimeSpan Length(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo? zone) =>
        zone is null ? to - from : Wall(to, zone) - Wall(from, zone);
}
