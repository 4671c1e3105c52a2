namespace RulesBilling.Dsl.Text;

/// <summary>A half-open range [Start, End) of character offsets into a <see cref="SourceText"/>.</summary>
public readonly record struct TextSpan(int Start, int End)
{
    public int Length => End - Start;

    public static TextSpan Covering(TextSpan first, TextSpan last) =>
        new(Math.Min(first.Start, last.Start), Math.Max(first.End, last.End));

    public override string ToString() => $"[{Start}..{End})";
}
