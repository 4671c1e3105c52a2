namespace RulesBilling.Dsl.Syntax;

/// <summary>
/// The fence of an inline script block: <c>"""</c> or longer runs of quotes, closed by a run of the same length.
/// The content is kept verbatim (C# needs no escaping), so it may contain any shorter run of quotes.
/// </summary>
internal static class ScriptBlocks
{
    public const int MinimumFence = 3;

    public static bool StartsAt(string text, int i) => FenceLength(text, i) >= MinimumFence;

    public static int FenceLength(string text, int i)
    {
        var j = i;
        while (j < text.Length && text[j] == '"') j++;
        return j - i;
    }

    /// <summary>The offset just after the closing fence, or −1 when the block is not closed.</summary>
    public static int End(string text, int start)
    {
        var fence = FenceLength(text, start);
        var i = start + fence;
        while (i < text.Length)
        {
            if (text[i] != '"')
            {
                i++;
                continue;
            }
            var run = FenceLength(text, i);
            if (run == fence) return i + run;
            i += run;
        }
        return -1;
    }

    /// <summary>The shortest fence that does not occur inside <paramref name="code"/>, for printing.</summary>
    public static string FenceFor(string code)
    {
        var longest = 0;
        for (var i = 0; i < code.Length;)
        {
            var run = FenceLength(code, i);
            longest = Math.Max(longest, run);
            i += Math.Max(run, 1);
        }
        return new string('"', Math.Max(MinimumFence, longest + 1));
    }
}
