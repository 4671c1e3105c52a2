namespace RulesBilling.Dsl.Scripting;

/// <summary>A check-time problem of a script, at an offset range of the script's own code.</summary>
internal sealed record ScriptProblem(int Start, int End, string Code, string Message);
