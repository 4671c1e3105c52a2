using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Syntax;

// C# script references (docs/dsl-spec.md §16): a .csx file next to the rule file or an inline block.

internal abstract record ScriptSource(TextSpan Span);

/// <summary><c>script "rate.csx"</c>: a path relative to the rule file's folder.</summary>
internal sealed record ScriptFileSource(TextSpan Span, string Path) : ScriptSource(Span);

/// <summary>
/// <c>script """ return e.amount > 10; """</c>: the code between the fences, verbatim. <see cref="CodeSpan"/> is where
/// the code sits in the rule file, so script diagnostics point into the rule file.
/// </summary>
internal sealed record InlineScriptSource(TextSpan Span, string Code, TextSpan CodeSpan) : ScriptSource(Span);

/// <summary>
/// A script used as a value: <c>script "f.csx" [returns type]</c>. Without <see cref="Returns"/> the type comes from
/// the clause (when → bool, key → string, quantity → decimal, a dimension → string).
/// </summary>
internal sealed record ScriptExpr(TextSpan Span, ScriptSource Source, TypeSyntax? Returns) : Expr(Span);

/// <summary>A charge model computed by a script: it returns the charge's amount in the invoice currency.</summary>
internal sealed record ScriptChargeClause(TextSpan Span, ScriptSource Source) : ChargeClause(Span);
