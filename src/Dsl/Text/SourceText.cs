namespace RulesBilling.Dsl.Text;

/// <summary>The text of one rule file together with its path, with a line map for diagnostics.</summary>
public sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string path, string text)
    {
        Path = path;
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n') starts.Add(i + 1);
        }
        _lineStarts = starts.ToArray();
    }

    public string Path { get; }
    public string Text { get; }

    /// <summary>1-based line and column of a character offset.</summary>
    public (int Line, int Column) GetLineColumn(int position)
    {
        position = Math.Clamp(position, 0, Text.Length);
        var index = Array.BinarySearch(_lineStarts, position);
        if (index < 0) index = ~index - 1;
        return (index + 1, position - _lineStarts[index] + 1);
    }

    /// <summary>The text of a 1-based line without its line terminator.</summary>
    public string GetLine(int line)
    {
        var start = _lineStarts[line - 1];
        var end = line < _lineStarts.Length ? _lineStarts[line] : Text.Length;
        return Text[start..end].TrimEnd('\r', '\n');
    }

    public static SourceText FromFile(string path) => new(path, File.ReadAllText(path));
}
