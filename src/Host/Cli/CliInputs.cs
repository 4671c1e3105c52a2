using System.Globalization;

namespace RulesBilling.Host.Cli;

/// <summary>Option values the dry-run verbs share, read the same way so each fails with the same one-line error.</summary>
internal static class CliInputs
{
    /// <summary>The <c>--events</c> file, or stdin for <c>-</c>.</summary>
    public static TextReader OpenEvents(string path)
    {
        if (path == "-") return Console.In;
        if (!File.Exists(path)) throw new CliException($"events file '{path}' does not exist");
        return new StreamReader(path);
    }

    /// <summary>A day as YYYY-MM-DD, taken as midnight UTC.</summary>
    public static DateTimeOffset? ParseDay(string? text, string option)
    {
        if (text is null) return null;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new CliException($"{option} must be a date as YYYY-MM-DD, got '{text}'", CliApp.UsageError);
        }
        return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    /// <summary>An ISO 8601 instant; without an offset it is UTC.</summary>
    public static DateTimeOffset? ParseInstant(string? text, string option)
    {
        if (text is null) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            throw new CliException($"{option} must be an ISO 8601 instant such as 2026-03-01T00:00:00Z, got '{text}'", CliApp.UsageError);
        }
        return instant;
    }
}
