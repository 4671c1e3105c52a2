using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

// The checked expression tree: every node knows its type and the span it was bound from. Operators are resolved
// to the exact operation (e.g. timestamp − timestamp), so lowering and interpretation never re-derive types.

internal abstract record BoundExpr(TextSpan Span, RuleType Type);

/// <summary>A constant: string, decimal (also integer, percent and money), bool or TimeSpan.</summary>
internal sealed record BoundLiteral(TextSpan Span, RuleType Type, object Value) : BoundExpr(Span, Type);

/// <summary>A field of the event's data. Its type is optional unless a <c>has()</c> check narrowed it.</summary>
internal sealed record BoundFieldRead(TextSpan Span, RuleType Type, FieldSchema Field) : BoundExpr(Span, Type);

internal enum MetaField { Id, Source, Type, Subject, Time }

/// <summary><c>event.id</c> and friends: the CloudEvent envelope.</summary>
internal sealed record BoundMetaRead(TextSpan Span, RuleType Type, MetaField Field) : BoundExpr(Span, Type);

/// <summary>A dimension of the outcome, in a charge filter: string, absent unless narrowed.</summary>
/// <summary><c>event.ext.NAME</c>: a CloudEvents extension attribute as text, absent when the event lacks it.</summary>
internal sealed record BoundExtensionRead(TextSpan Span, RuleType Type, string Name) : BoundExpr(Span, Type);

internal sealed record BoundDimensionRead(TextSpan Span, RuleType Type, string Name) : BoundExpr(Span, Type);

/// <summary><c>has(x)</c>: <see cref="Target"/> is an optional field or dimension read.</summary>
internal sealed record BoundHas(TextSpan Span, BoundExpr Target) : BoundExpr(Span, RuleType.Bool);

internal enum BoundUnaryOperator { Negate, NegateDuration, Not }

internal sealed record BoundUnary(TextSpan Span, RuleType Type, BoundUnaryOperator Op, BoundExpr Operand) : BoundExpr(Span, Type);

internal enum BoundBinaryOperator
{
    /// <summary>decimal, integer and money arithmetic: all decimals at run time.</summary>
    Add, Subtract, Multiply, Divide,
    Concat,
    AddDuration, SubtractDuration, SubtractTimestamps, AddDurations, SubtractDurations, MultiplyDuration,
    Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual,
    And, Or,
}

/// <summary>
/// A binary operation. For <see cref="BoundBinaryOperator.AddDuration"/> and <see cref="BoundBinaryOperator.MultiplyDuration"/>
/// the timestamp/duration operand is always <see cref="Left"/> (the binder swaps commuted operands).
/// </summary>
internal sealed record BoundBinary(TextSpan Span, RuleType Type, BoundBinaryOperator Op, BoundExpr Left, BoundExpr Right) : BoundExpr(Span, Type);

/// <summary><c>left ?? right</c>: left is optional; the result is optional only when right is.</summary>
internal sealed record BoundCoalesce(TextSpan Span, RuleType Type, BoundExpr Left, BoundExpr Right) : BoundExpr(Span, Type);

internal sealed record BoundIn(TextSpan Span, BoundExpr Value, IReadOnlyList<BoundExpr> Items, bool Negated) : BoundExpr(Span, RuleType.Bool);

internal sealed record BoundIf(TextSpan Span, RuleType Type, BoundExpr Condition, BoundExpr Then, BoundExpr Else) : BoundExpr(Span, Type);

internal sealed record BoundCall(TextSpan Span, RuleType Type, BuiltinFunction Function, IReadOnlyList<BoundExpr> Arguments) : BoundExpr(Span, Type);

internal enum GuardFunction { Revenue, Cost, Margin, Count }

/// <summary>A guard aggregate; <see cref="Outcome"/> null means all outcomes.</summary>
internal sealed record BoundGuardCall(TextSpan Span, RuleType Type, GuardFunction Function, string? Outcome) : BoundExpr(Span, Type);

/// <summary>Stands in for an expression that could not be bound; a diagnostic has been reported.</summary>
internal sealed record BoundErrorExpr(TextSpan Span) : BoundExpr(Span, RuleType.Error);
