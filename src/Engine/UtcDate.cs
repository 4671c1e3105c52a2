namespace RulesBilling.Engine;

public static class UtcDate
{
    /// <summary>UTC midnight at the start of <paramref name="date"/>; contract dates are UTC midnights.</summary>
    public static DateTimeOffset Midnight(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
