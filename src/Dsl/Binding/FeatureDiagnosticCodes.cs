namespace RulesBilling.Dsl.Binding;

/// <summary>
/// The stable checker codes of feature declarations and grants (RB06xx), kept apart from <see cref="DiagnosticCodes"/>
/// so the feature checks stay in their own files; never renumber one. Unknown outcomes and event types of metered
/// features reuse RB0104 and RB0101, duplicate feature names RB0103, a second <c>features</c> block RB0109.
/// </summary>
internal static class FeatureDiagnosticCodes
{
    public const string UnknownFeature = "RB0601";
    public const string GrantKindMismatch = "RB0602";
    public const string DuplicateGrant = "RB0603";
    // RB0604 is reserved (a limit is a number literal, which cannot be negative).
    public const string BadReset = "RB0605";
}
