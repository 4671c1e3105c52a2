using System.Globalization;
using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Compilation;

/// <summary>
/// The closed table of operations compiled rules may call. Every operation that can fail at run time turns the
/// failure into a <see cref="RuleEvaluationException"/> at the rule's source location — never into 0 or false.
/// </summary>
internal static class RuntimeFunctions
{
    public static decimal Add(decimal a, decimal b, SourceLocation at)
    {
        try { return a + b; }
        catch (OverflowException) { throw Overflow(at); }
    }

    public static decimal Subtract(decimal a, decimal b, SourceLocation at)
    {
        try { return a - b; }
        catch (OverflowException) { throw Overflow(at); }
    }

    public static decimal Multiply(decimal a, decimal b, SourceLocation at)
    {
        try { return a * b; }
        catch (OverflowException) { throw Overflow(at); }
    }

    public static decimal Divide(decimal a, decimal b, SourceLocation at)
    {
        if (b == 0m) throw new RuleEvaluationException(DiagnosticCodes.DivisionByZero, "division by zero", at);
        try { return a / b; }
        catch (OverflowException) { throw Overflow(at); }
    }

    public static string Concat(string a, string b) => string.Concat(a, b);

    public static DateTimeOffset AddDuration(DateTimeOffset time, TimeSpan duration, SourceLocation at)
    {
        try { return time.Add(duration); }
        catch (ArgumentOutOfRangeException) { throw Overflow(at); }
    }

    public static DateTimeOffset SubtractDuration(DateTimeOffset time, TimeSpan duration, SourceLocation at)
    {
        try { return time.Subtract(duration); }
        catch (ArgumentOutOfRangeException) { throw Overflow(at); }
        catch (OverflowException) { throw Overflow(at); }
    }

    public static TimeSpan SubtractTimestamps(DateTimeOffset a, DateTimeOffset b) => a - b;

    public static TimeSpan AddDurations(TimeSpan a, TimeSpan b, SourceLocation at)
    {
        try { return a + b; }
        catch (OverflowException) { throw Overflow(at); }
    }

    public static TimeSpan SubtractDurations(TimeSpan a, TimeSpan b, SourceLocation at)
    {
        try { return a - b; }
        catch (OverflowException) { throw Overflow(at); }
    }

    public static TimeSpan NegateDuration(TimeSpan d, SourceLocation at)
    {
        try { return d.Negate(); }
        catch (OverflowException) { throw Overflow(at); }
    }

    /// <summary>Scales a duration; the tick count is rounded half away from zero.</summary>
    public static TimeSpan MultiplyDuration(TimeSpan d, decimal factor, SourceLocation at)
    {
        try
        {
            var ticks = decimal.Round(d.Ticks * factor, 0, MidpointRounding.AwayFromZero);
            if (ticks < long.MinValue || ticks > long.MaxValue) throw Overflow(at);
            return TimeSpan.FromTicks((long)ticks);
        }
        catch (OverflowException) { throw Overflow(at); }
    }

    public static bool StringEquals(string a, string b) => string.Equals(a, b, StringComparison.Ordinal);

    public static int CompareStrings(string a, string b) => string.CompareOrdinal(a, b);

    public static string Lower(string s) => s.ToLowerInvariant();

    public static string Upper(string s) => s.ToUpperInvariant();

    public static string Trim(string s) => s.Trim();

    public static decimal Len(string s) => s.Length;

    public static bool StartsWith(string s, string prefix) => s.StartsWith(prefix, StringComparison.Ordinal);

    public static bool EndsWith(string s, string suffix) => s.EndsWith(suffix, StringComparison.Ordinal);

    public static bool Contains(string s, string part) => s.Contains(part, StringComparison.Ordinal);

    public static bool Matches(string s, System.Text.RegularExpressions.Regex pattern) => pattern.IsMatch(s);

    /// <summary>
    /// <paramref name="length"/> UTF-16 code units from <paramref name="start"/> (0-based), clamped to the text:
    /// a start past the end gives "", a negative start or length counts as 0. Total, so it never fails an event.
    /// </summary>
    public static string Substring(string s, decimal start, decimal length)
    {
        var from = (int)Math.Clamp(start, 0m, s.Length);
        var count = (int)Math.Clamp(length, 0m, s.Length - from);
        return s.Substring(from, count);
    }

    /// <summary>Part <paramref name="index"/> (0-based) of <paramref name="s"/> cut at every <paramref name="separator"/>; "" when there is no such part.</summary>
    public static string Split(string s, string separator, decimal index)
    {
        if (index < 0m || index >= s.Length + 1) return "";
        if (separator.Length == 0) return index == 0m ? s : "";
        var wanted = (int)index;
        var from = 0;
        for (var part = 0; part < wanted; part++)
        {
            var at = s.IndexOf(separator, from, StringComparison.Ordinal);
            if (at < 0) return "";
            from = at + separator.Length;
        }

        var end = s.IndexOf(separator, from, StringComparison.Ordinal);
        return end < 0 ? s[from..] : s[from..end];
    }

    /// <summary>The domain of an e-mail address: after the last <c>@</c>, trimmed, lower case (invariant); "" without one.</summary>
    public static string EmailDomain(string s)
    {
        var at = s.LastIndexOf('@');
        return at < 0 ? "" : s[(at + 1)..].Trim().ToLowerInvariant();
    }

    public static decimal Abs(decimal x) => Math.Abs(x);

    public static decimal Min(decimal a, decimal b) => Math.Min(a, b);

    public static decimal Max(decimal a, decimal b) => Math.Max(a, b);

    public static decimal Round(decimal x, int digits) => Math.Round(x, digits, MidpointRounding.AwayFromZero);

    public static decimal Floor(decimal x) => decimal.Floor(x);

    public static decimal Ceil(decimal x) => decimal.Ceiling(x);

    public static decimal Seconds(TimeSpan d) => d.Ticks / (decimal)TimeSpan.TicksPerSecond;

    public static decimal Minutes(TimeSpan d) => d.Ticks / (decimal)TimeSpan.TicksPerMinute;

    public static decimal Hours(TimeSpan d) => d.Ticks / (decimal)TimeSpan.TicksPerHour;

    public static decimal Days(TimeSpan d) => d.Ticks / (decimal)TimeSpan.TicksPerDay;

    /// <summary>A numeric key or key selector as text: invariant culture, scale kept (2.50 stays "2.50").</summary>
    public static string FormatNumber(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A dimension of the outcome in a charge filter; null when the outcome has no value for it.</summary>
    public static string? Dimension(IReadOnlyDictionary<string, string?> dimensions, string name) =>
        dimensions.TryGetValue(name, out var value) ? value : null;

    /// <summary>An extension attribute of the event (<c>event.ext.NAME</c>); null when the event lacks it.</summary>
    public static string? Extension(IReadOnlyDictionary<string, string> extensions, string name) =>
        extensions.TryGetValue(name, out var value) ? value : null;

    public static decimal CheckQuantity(decimal quantity, SourceLocation at) => quantity >= 0m
        ? quantity
        : throw new RuleEvaluationException(DiagnosticCodes.NegativeQuantity,
            $"the quantity is {FormatNumber(quantity)}; a quantity must not be negative", at);

    private static RuleEvaluationException Overflow(SourceLocation at) =>
        new(DiagnosticCodes.Overflow, "the result is too large (arithmetic overflow)", at);
}
