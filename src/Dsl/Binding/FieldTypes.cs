using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;

namespace RulesBilling.Dsl.Binding;

/// <summary>Maps between the declared field types of the syntax, the model and the checker.</summary>
internal static class FieldTypes
{
    public static FieldType ToModel(FieldTypeKind kind) => kind switch
    {
        FieldTypeKind.String => FieldType.String,
        FieldTypeKind.Decimal => FieldType.Decimal,
        FieldTypeKind.Integer => FieldType.Integer,
        FieldTypeKind.Bool => FieldType.Bool,
        FieldTypeKind.Timestamp => FieldType.Timestamp,
        FieldTypeKind.Duration => FieldType.Duration,
        _ => FieldType.Money,
    };

    public static RuleType ToRuleType(FieldSchema field)
    {
        var type = field.Type switch
        {
            FieldType.String => RuleType.String,
            FieldType.Decimal => RuleType.Decimal,
            FieldType.Integer => RuleType.Integer,
            FieldType.Bool => RuleType.Bool,
            FieldType.Timestamp => RuleType.Timestamp,
            FieldType.Duration => RuleType.Duration,
            _ => RuleType.Money(field.Currency!),
        };
        return field.Optional ? type.AsOptional() : type;
    }

    /// <summary>The run-time representation of a (present) value of <paramref name="type"/>.</summary>
    public static Type ClrType(RuleType type) => type.Kind switch
    {
        TypeKind.String => typeof(string),
        TypeKind.Bool => typeof(bool),
        TypeKind.Timestamp => typeof(DateTimeOffset),
        TypeKind.Duration => typeof(TimeSpan),
        _ => typeof(decimal),
    };
}
