using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Syntax;

// Expression syntax. Every node carries the span of the source it was parsed from.

internal abstract record Expr(TextSpan Span);

/// <summary>A plain number; <see cref="Value"/> keeps the written scale (2.50 stays 2.50).</summary>
internal sealed record NumberLiteral(TextSpan Span, decimal Value) : Expr(Span);

/// <summary><c>70%</c>: <see cref="Percent"/> is 70; the value of the expression is 0.70.</summary>
internal sealed record PercentLiteral(TextSpan Span, decimal Percent) : Expr(Span);

internal sealed record DurationLiteral(TextSpan Span, decimal Amount, DurationUnit Unit) : Expr(Span)
{
    public TimeSpan ToTimeSpan() => Unit switch
    {
        DurationUnit.Days => TimeSpan.FromTicks((long)(Amount * TimeSpan.TicksPerDay)),
        DurationUnit.Hours => TimeSpan.FromTicks((long)(Amount * TimeSpan.TicksPerHour)),
        DurationUnit.Minutes => TimeSpan.FromTicks((long)(Amount * TimeSpan.TicksPerMinute)),
        _ => TimeSpan.FromTicks((long)(Amount * TimeSpan.TicksPerSecond)),
    };
}

internal enum DurationUnit { Days, Hours, Minutes, Seconds }

/// <summary><c>499 USD</c>.</summary>
internal sealed record MoneyLiteral(TextSpan Span, decimal Amount, string Currency) : Expr(Span);

internal sealed record StringLiteral(TextSpan Span, string Value) : Expr(Span);

internal sealed record BoolLiteral(TextSpan Span, bool Value) : Expr(Span);

/// <summary><c>null</c>: a literal of the grammar (spec §3); the binder decides where it may be used.</summary>
internal sealed record NullLiteral(TextSpan Span) : Expr(Span);

/// <summary>A reference to a field of the event's <c>data</c> (or, in a charge filter, a dimension).</summary>
internal sealed record NameExpr(TextSpan Span, string Name) : Expr(Span);

/// <summary><c>event.id</c>, <c>event.source</c>, <c>event.type</c>, <c>event.subject</c>, <c>event.time</c>.</summary>
/// <summary><c>event.NAME</c>, or <c>event.NAME.ATTRIBUTE</c> (<see cref="Attribute"/>), the form of <c>event.ext.traceparent</c>.</summary>
internal sealed record MetaExpr(TextSpan Span, string Name, string? Attribute = null) : Expr(Span);

/// <summary><c>has(field)</c>: true when an optional field is present.</summary>
/// <summary><c>has(field)</c>, or <c>has(event.ext.NAME)</c> (<see cref="Meta"/> set, <see cref="Field"/> its text).</summary>
internal sealed record HasExpr(TextSpan Span, string Field, MetaExpr? Meta = null) : Expr(Span);

internal sealed record CallExpr(TextSpan Span, string Function, NodeList<Expr> Arguments) : Expr(Span);

internal enum UnaryOp { Negate, Not }

internal sealed record UnaryExpr(TextSpan Span, UnaryOp Op, Expr Operand) : Expr(Span);

internal enum BinaryOp { Add, Subtract, Multiply, Divide, Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, And, Or, Coalesce }

internal sealed record BinaryExpr(TextSpan Span, BinaryOp Op, Expr Left, Expr Right) : Expr(Span);

/// <summary><c>x in ["a", "b"]</c> or <c>x not in [...]</c>.</summary>
internal sealed record InExpr(TextSpan Span, Expr Value, NodeList<Expr> Items, bool Negated) : Expr(Span);

internal sealed record IfExpr(TextSpan Span, Expr Condition, Expr Then, Expr Else) : Expr(Span);
