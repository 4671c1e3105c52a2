using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Dsl.Binding;

/// <summary>
/// The stable checker codes of feature declarations and grants (RB06xx), kept apart from <see cref="DiagnosticCodes"/>
/// so the feature checks stay in their own files; never renumber one. Unknown outcomes and event types of metered
/// features reuse RB0104 and RB0101, duplicate feature names RB0103, a second <c>features</c> block RB0109.
/// </summary>
internal static class FeatureDiagnosticCodes
{
    public static readonly string UnknownFeature = DiagnosticCatalogue.UnknownFeature.Code;
    public static readonly string GrantKindMismatch = DiagnosticCatalogue.GrantKindMismatch.Code;
    public static readonly string DuplicateGrant = DiagnosticCatalogue.DuplicateGrant.Code;
    // RB0604 is reserved (a limit is a number literal, which cannot be negative).
    public static readonly string BadReset = DiagnosticCatalogue.BadReset.Code;
}
