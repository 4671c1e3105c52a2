using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Dsl.Syntax;

/// <summary>A single expression (the REPL input); <see cref="Expression"/> is null when there are diagnostics.</summary>
internal sealed record ExpressionParseResult(Expr? Expression, IReadOnlyList<Diagnostic> Diagnostics);
