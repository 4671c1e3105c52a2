using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Host.Api.Features.RuleSets;

/// <summary>A rule-set diagnostic for clients: structured fields plus the rendered <c>file:line:col: error RBnnnn: message</c>.</summary>
internal sealed record DiagnosticView(string Code, string Severity, string File, int Line, int Column, string Message, string Rendered)
{
    public static DiagnosticView From(Diagnostic d)
    {
        var (line, column) = d.Position;
        return new DiagnosticView(d.Code, d.IsError ? "error" : "warning", d.Source.Path, line, column, d.Message, d.Headline);
    }
}
