using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Dsl.Scripting;

/// <summary>The stable codes of script diagnostics (RB05xx, at check time) and script faults (RB090x, at run time).</summary>
internal static class ScriptCodes
{
    public static readonly string Disabled = DiagnosticCatalogue.ScriptsDisabled.Code;
    public static readonly string FileUnavailable = DiagnosticCatalogue.ScriptFileUnavailable.Code;
    public static readonly string CompileError = DiagnosticCatalogue.ScriptCompileError.Code;
    public static readonly string Forbidden = DiagnosticCatalogue.ScriptForbidden.Code;
    public static readonly string NotAllowedHere = DiagnosticCatalogue.ScriptNotAllowedHere.Code;
    public static readonly string TooComplex = DiagnosticCatalogue.ScriptTooComplex.Code;

    public static readonly string BudgetExceeded = DiagnosticCatalogue.ScriptBudgetExceeded.Code;
    public static readonly string RecursionTooDeep = DiagnosticCatalogue.ScriptRecursionTooDeep.Code;
    public static readonly string ScriptFailed = DiagnosticCatalogue.ScriptFailed.Code;
}
