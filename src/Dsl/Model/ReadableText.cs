namespace RulesBilling.Dsl.Model;

/// <summary>Readable text generated from rule names where the rule set declares no <c>label</c>.</summary>
public static class ReadableText
{
    /// <summary><c>resolved_ticket</c> → "Resolved ticket"; dots and underscores become spaces.</summary>
    public static string Humanize(string name)
    {
        var words = name.Replace('.', ' ').Replace('_', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return name;
        var text = string.Join(' ', words);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}
