using System.Globalization;

namespace RulesBilling.Engine;

/// <summary>ISO 8601 in UTC with a 'Z' suffix; fractional seconds only when present ("2026-01-31T00:00:00Z").</summary>
public static class UtcTimestamp
{
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
