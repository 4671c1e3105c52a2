using System.Text.RegularExpressions;

namespace RulesBilling.Dsl.Text;

/// <summary>
/// The regular expressions of <c>matches(text, "pattern")</c> (docs/dsl-spec.md §4.2). They run on the non-backtracking
/// engine, whose match time is linear in the text, so no pattern and no event can make rating slow; no timeout is
/// needed, which keeps the result a pure function of the text. Culture invariant, so a result never depends on the host.
/// </summary>
internal static class RulePatterns
{
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    /// <summary>The compiled pattern, or null with why it was refused (<paramref name="needsBacktracking"/> for RB0211, else RB0210).</summary>
    public static Regex? TryCreate(string pattern, out string? error, out bool needsBacktracking)
    {
        needsBacktracking = false;
        try
        {
            error = null;
            return new Regex(pattern, Options);
        }
        catch (RegexParseException e)
        {
            error = $"{Describe(e.Error)} at offset {e.Offset} of the pattern";
            return null;
        }
        catch (NotSupportedException)
        {
            needsBacktracking = true;
            error = null;
            return null;
        }
    }

    public static Regex Create(string pattern) =>
        TryCreate(pattern, out var error, out _) ?? throw new InvalidOperationException($"pattern {pattern} was not checked: {error}");

    /// <summary>"InsufficientClosingParentheses" → "insufficient closing parentheses".</summary>
    private static string Describe(RegexParseError error)
    {
        var name = error.ToString();
        var words = new System.Text.StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && words.Length > 0) words.Append(' ');
            words.Append(char.ToLowerInvariant(c));
        }

        return words.ToString();
    }
}
