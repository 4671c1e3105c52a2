using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Dsl.Binding;

/// <summary>
/// The stable codes of quoted names, string functions, disqualification and corrections (docs/dsl-spec.md §1.1,
/// §4.2, §7.8, §10.8, §14); never renumber one.
/// </summary>
internal static class OutcomeDiagnosticCodes
{
    /// <summary>The pattern of <c>matches()</c> is not a valid regular expression.</summary>
    public static readonly string InvalidPattern = DiagnosticCatalogue.InvalidPattern.Code;

    /// <summary>The pattern needs backtracking (backreferences, lookarounds, atomic groups), which a bounded match refuses.</summary>
    public static readonly string BacktrackingPattern = DiagnosticCatalogue.BacktrackingPattern.Code;

    /// <summary><c>disqualified by</c> on an outcome without a key: a disqualification is matched by key.</summary>
    public static readonly string DisqualificationNeedsKey = DiagnosticCatalogue.DisqualificationNeedsKey.Code;

    /// <summary><c>corrections X</c> with X not net or reverse_and_rebill.</summary>
    public static readonly string BadCorrectionMode = DiagnosticCatalogue.BadCorrectionMode.Code;
}
