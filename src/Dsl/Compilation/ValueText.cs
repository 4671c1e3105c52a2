using System.Globalization;

namespace RulesBilling.Dsl.Compilation;

/// <summary>Formats run-time values as invariant text for the REPL.</summary>
internal static class ValueText
{
    public static string Format(object? value) => value switch
    {
        null => "absent",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        TimeSpan s => s.ToString("c", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
