using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Dsl.Syntax;

/// <summary>The declarations that parsed, and every lexical and syntax diagnostic.</summary>
internal sealed record ParseResult(RuleFile File, IReadOnlyList<Diagnostic> Diagnostics);
