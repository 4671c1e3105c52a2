namespace RulesBilling.Dsl.Diagnostics;

/// <summary>
/// What one diagnostic code means: its stable code, how severe it is, and the meaning docs/dsl-spec.md gives it (§14,
/// §16.5). The message of one occurrence is still written where the problem is found, with the names it is about.
/// </summary>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Meaning);
