using System.Globalization;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// When an unpaid invoice sent to a provider is chased: it is due <see cref="DaysUntilDue"/> days after it was
/// finalized (the Stripe invoice is created with the same <c>days_until_due</c>); <c>invoice.overdue</c> is raised
/// <see cref="OverdueDays"/> days after the due date while it is neither paid nor voided; and after a failed payment
/// attempt, <c>invoice.payment_failed</c> is raised again as a retry reminder <see cref="RetryDays"/> days after the
/// failure while no later payment succeeded. The providers collect (Stripe's retries, Razorpay's payment page); these
/// reminders are for the tenant's own systems, through its webhook subscriptions.
/// </summary>
public sealed record DunningSchedule(int DaysUntilDue, IReadOnlyList<int> OverdueDays, IReadOnlyList<int> RetryDays)
{
    public static DunningSchedule Default { get; } = new(30, [0, 3, 7, 14], [1, 3, 5]);

    /// <summary>
    /// <c>due=30;overdue=0,3,7,14;retry=1,3,5</c> (days; any part may be left out and keeps its default; an empty
    /// list, <c>retry=</c>, sends no such reminders).
    /// </summary>
    /// <exception cref="FormatException">A readable reason.</exception>
    public static DunningSchedule Parse(string text)
    {
        var schedule = Default;
        foreach (var part in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = part.IndexOf('=', StringComparison.Ordinal) is var at and > 0
                ? (part[..at].Trim(), part[(at + 1)..].Trim())
                : throw new FormatException($"'{part}' is not name=value (expected due=30;overdue=0,3,7,14;retry=1,3,5)");
            schedule = name switch
            {
                "due" => schedule with { DaysUntilDue = Days(name, value, allowZero: false) },
                "overdue" => schedule with { OverdueDays = List(name, value) },
                "retry" => schedule with { RetryDays = List(name, value) },
                _ => throw new FormatException($"unknown dunning setting '{name}' (known: due, overdue, retry)"),
            };
        }
        return schedule;
    }

    private static int Days(string name, string value, bool allowZero) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= 3650 && (allowZero || days > 0)
            ? days
            : throw new FormatException($"{name}: '{value}' is not a whole number of days from {(allowZero ? 0 : 1)} to 3650");

    private static List<int> List(string name, string value)
    {
        var days = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => Days(name, v, allowZero: true)).ToList();
        for (var i = 1; i < days.Count; i++)
        {
            if (days[i] <= days[i - 1]) throw new FormatException($"{name}: days must increase ({days[i - 1]} then {days[i]})");
        }
        return days;
    }
}
