namespace RulesBilling.Dsl.Diagnostics;

public enum DiagnosticSeverity
{
    Error,
    Warning,
}
