namespace RulesBilling.Dsl.Binding;

/// <summary>The closed table of functions expressions may call (guard aggregates are <see cref="GuardFunction"/>).</summary>
internal enum BuiltinFunction
{
    Lower, Upper, Trim, Len,
    StartsWith, EndsWith, Contains,
    Abs, Min, Max, Round, Floor, Ceil,
    Seconds, Minutes, Hours, Days,
    Matches, Substring, Split, EmailDomain,
}
