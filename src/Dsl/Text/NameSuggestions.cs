namespace RulesBilling.Dsl.Text;

/// <summary>"Did you mean …" hints for misspelt names: rule names here, and verbs, options and customers at the edges.</summary>
public static class NameSuggestions
{
    /// <summary>" (did you mean 'x'?)" for the closest candidate within a small edit distance, else "".</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var bestPrefix = -1;
        var lowered = name.ToLowerInvariant();
        foreach (var candidate in candidates.Order(StringComparer.Ordinal))
        {
            var distance = Distance(lowered, candidate.ToLowerInvariant());
            // Among equally close names, a shared beginning is the likelier typo (USX → USD, not UGX).
            var prefix = CommonPrefix(name, candidate);
            if (distance < bestDistance || (distance == bestDistance && prefix > bestPrefix))
            {
                best = candidate;
                bestDistance = distance;
                bestPrefix = prefix;
            }
        }
        return best is not null && bestDistance <= Math.Max(1, name.Length / 3) ? $" (did you mean '{best}'?)" : "";
    }

    /// <summary>"a, b, c" sorted, or "none".</summary>
    public static string List(IEnumerable<string> names)
    {
        var sorted = names.Order(StringComparer.Ordinal).ToArray();
        return sorted.Length == 0 ? "none" : string.Join(", ", sorted);
    }

    private static int CommonPrefix(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && char.ToLowerInvariant(a[i]) == char.ToLowerInvariant(b[i])) i++;
        return i;
    }

    /// <summary>Levenshtein distance (case-sensitive; callers lower-case when case should not count).</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
