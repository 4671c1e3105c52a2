using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Dsl.Model;

/// <summary>
/// A fault while evaluating a compiled rule (division by zero, overflow, negative quantity…),
/// tied to the rule source it came from. Rating turns it into an error, never into a zero.
/// </summary>
public sealed class RuleEvaluationException(string code, string message, SourceLocation location)
    : Exception($"{location}: error {code}: {message}")
{
    public string Code { get; } = code;
    public string Reason { get; } = message;
    public SourceLocation Location { get; } = location;
}

/// <summary>A rule-file position for runtime errors: <c>file:line:col</c>.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
