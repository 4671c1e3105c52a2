namespace RulesBilling.Dsl.Binding;

internal enum TypeKind { String, Decimal, Integer, Bool, Timestamp, Duration, Money, Error }

/// <summary>
/// The checked type of an expression. <see cref="Currency"/> is set only for money; <see cref="Optional"/> marks a
/// value that may be absent (<c>T?</c>). <see cref="TypeKind.Error"/> stands for an expression that already produced
/// a diagnostic, so that one mistake is reported once and not again by every enclosing expression.
/// </summary>
internal sealed record RuleType(TypeKind Kind, string? Currency = null, bool Optional = false)
{
    public static RuleType String { get; } = new(TypeKind.String);
    public static RuleType Decimal { get; } = new(TypeKind.Decimal);
    public static RuleType Integer { get; } = new(TypeKind.Integer);
    public static RuleType Bool { get; } = new(TypeKind.Bool);
    public static RuleType Timestamp { get; } = new(TypeKind.Timestamp);
    public static RuleType Duration { get; } = new(TypeKind.Duration);
    public static RuleType Error { get; } = new(TypeKind.Error);

    public static RuleType Money(string currency) => new(TypeKind.Money, currency);

    public bool IsError => Kind == TypeKind.Error;

    /// <summary>integer or decimal: both are decimals at run time and mix freely.</summary>
    public bool IsNumber => Kind is TypeKind.Decimal or TypeKind.Integer;

    public bool IsMoney => Kind == TypeKind.Money;

    public RuleType AsRequired() => Optional ? this with { Optional = false } : this;

    public RuleType AsOptional() => Optional ? this : this with { Optional = true };

    /// <summary>Same type ignoring optionality, with integer and decimal counted as one.</summary>
    public bool IsCompatibleWith(RuleType other) =>
        (IsNumber && other.IsNumber) || (Kind == other.Kind && Currency == other.Currency);

    /// <summary>The type of a value that may be either operand: integer only when both are integers.</summary>
    public static RuleType Unify(RuleType a, RuleType b) =>
        a.Kind == TypeKind.Integer && b.Kind == TypeKind.Integer ? Integer : a.IsNumber ? Decimal : a.AsRequired();

    public override string ToString()
    {
        var name = Kind switch
        {
            TypeKind.Money => $"money({Currency ?? "contract currency"})",
            TypeKind.Error => "<error>",
            _ => Kind.ToString().ToLowerInvariant(),
        };
        return Optional ? name + "?" : name;
    }
}
