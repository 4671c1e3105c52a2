using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Dsl.Compilation;

/// <summary>
/// The result of evaluating one expression against one event (the REPL): the value as invariant text and its type
/// name (e.g. <c>12.50</c> and <c>money(USD)</c>), or the diagnostics that prevented or interrupted evaluation.
/// </summary>
public sealed record ExpressionEvaluation(string? Value, string? Type, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Success => Value is not null && Diagnostics.Count == 0;
}
