namespace RulesBilling.Dsl.Scripting;

/// <summary>The stable codes of script diagnostics (RB05xx, at check time) and script faults (RB090x, at run time).</summary>
internal static class ScriptCodes
{
    public const string Disabled = "RB0501";
    public const string FileUnavailable = "RB0502";
    public const string CompileError = "RB0503";
    public const string Forbidden = "RB0504";
    public const string NotAllowedHere = "RB0505";
    public const string TooComplex = "RB0506";

    public const string BudgetExceeded = "RB0904";
    public const string RecursionTooDeep = "RB0905";
    public const string ScriptFailed = "RB0906";
}
