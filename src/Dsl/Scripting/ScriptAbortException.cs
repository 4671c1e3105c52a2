namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// Thrown by <see cref="ScriptBudget"/> when a bound is crossed. Scripts cannot catch it (try/catch is refused at check
/// time); the invoker turns it into a <see cref="Model.RuleEvaluationException"/> at the script's location.
/// </summary>
public sealed class ScriptAbortException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
