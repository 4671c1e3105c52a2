using System.Text;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Diagnostics;

/// <summary>
/// One problem found in a rule set: a stable code (RBnnnn), a message and the span it is about.
/// Diagnostics are collected, never thrown.
/// </summary>
public sealed record Diagnostic(SourceText Source, TextSpan Span, DiagnosticSeverity Severity, string Code, string Message)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public (int Line, int Column) Position => Source.GetLineColumn(Span.Start);

    /// <summary><c>file:line:col: error CODE: message</c> — one line, no caret.</summary>
    public string Headline
    {
        get
        {
            var (line, column) = Position;
            var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
            return $"{Source.Path}:{line}:{column}: {severity} {Code}: {Message}";
        }
    }

    /// <summary>The headline, the offending source line and a caret line under the span.</summary>
    public string Render()
    {
        // A diagnostic about a file as a whole (missing, unreadable) has no source line to point into.
        if (Source.Text.Length == 0) return Headline;
        var (line, column) = Position;
        var text = Source.GetLine(line);
        var width = Math.Max(1, Math.Min(Span.Length, text.Length - (column - 1)));
        var sb = new StringBuilder();
        sb.Append(Headline).Append('\n');
        sb.Append("  ").Append(text).Append('\n');
        sb.Append("  ").Append(new string(' ', column - 1)).Append(new string('^', width));
        return sb.ToString();
    }

    public override string ToString() => Headline;
}
