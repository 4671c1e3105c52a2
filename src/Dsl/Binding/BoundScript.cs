using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

/// <summary>
/// A checked and loaded C# script used as a value. <see cref="Evaluate"/> returns the boxed result (null only when
/// <see cref="BoundExpr.Type"/> is optional) or throws <see cref="RuleEvaluationException"/>.
/// </summary>
internal sealed record BoundScriptCall(TextSpan Span, RuleType Type, Func<RuleEvent, object?> Evaluate) : BoundExpr(Span, Type);
