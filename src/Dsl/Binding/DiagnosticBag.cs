using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

/// <summary>Collects checker diagnostics; the result is sorted by file, position and code so output is deterministic.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];
    private readonly HashSet<(string Path, TextSpan Span, string Code, string Message)> _seen = [];

    public bool HasErrors => _items.Exists(d => d.IsError);

    public void Error(SourceText source, TextSpan span, string code, string message)
    {
        // The same fact can be reached along several paths (a pricing checked for each contract using it).
        if (_seen.Add((source.Path, span, code, message)))
            _items.Add(new Diagnostic(source, span, DiagnosticSeverity.Error, code, message));
    }

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (_seen.Add((d.Source.Path, d.Span, d.Code, d.Message))) _items.Add(d);
        }
    }

    public IReadOnlyList<Diagnostic> ToSortedList() => _items
        .OrderBy(d => d.Source.Path, StringComparer.Ordinal)
        .ThenBy(d => d.Span.Start)
        .ThenBy(d => d.Code, StringComparer.Ordinal)
        .ThenBy(d => d.Message, StringComparer.Ordinal)
        .ToArray();
}
