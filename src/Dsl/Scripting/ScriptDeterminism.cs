using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// Refuses calls whose result depends on the machine even though the member itself is allowed: culture-sensitive
/// string comparison (ICU collation differs between machines and is ordinal in invariant-globalization mode),
/// ordering strings with the default (culture) comparer, and formatting a <see cref="DateTime"/> with the local offset
/// (<c>z</c>, <c>zz</c>, <c>zzz</c>, <c>K</c>). Members that are never deterministic are denied in <see cref="ScriptApiPolicy"/>.
/// </summary>
internal static class ScriptDeterminism
{
    private const int Ordinal = (int)StringComparison.Ordinal;
    private const int OrdinalIgnoreCase = (int)StringComparison.OrdinalIgnoreCase;

    public static string? Why(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type is not INamedTypeSymbol { Name: "StringComparison", ContainingNamespace.Name: "System" }) continue;
            var value = argument.Value.ConstantValue;
            if (!value.HasValue || value.Value is not int comparison || comparison is not (Ordinal or OrdinalIgnoreCase))
                return "only StringComparison.Ordinal or StringComparison.OrdinalIgnoreCase (written here) are allowed: culture comparisons differ between machines";
        }
        var owner = method.ContainingType is { } type ? ScriptApiPolicy.FullName(type.OriginalDefinition) : "";
        if (owner == "System.Linq.Enumerable" && ScriptApiPolicy.OrderingOperators.Contains(method.Name)
            && method.TypeArguments is [.., var key] && HasString(key))
        {
            return $"'{method.Name}' on strings compares by culture, which differs between machines; order by another key, or compare with string.CompareOrdinal";
        }
        if (owner == "System.DateTime" && method.Name == "ToString")
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Type.SpecialType != SpecialType.System_String) continue;
                if (argument.Value.ConstantValue is not { HasValue: true, Value: string format } || ShowsLocalOffset(format))
                    return "a DateTime format must be written here and must not show an offset ('z', 'K'): the offset is the machine's time zone; format a DateTimeOffset instead";
            }
        }
        return null;
    }

    public static string? Why(IInterpolationOperation interpolation) =>
        interpolation.Expression.Type?.SpecialType == SpecialType.System_DateTime
            && interpolation.FormatString?.ConstantValue is { HasValue: true, Value: string format } && ShowsLocalOffset(format)
            ? "a DateTime format must not show an offset ('z', 'K'): the offset is the machine's time zone; format a DateTimeOffset instead"
            : null;

    private static bool ShowsLocalOffset(string format) => format.Contains('z') || format.Contains('K');

    private static bool HasString(ITypeSymbol type) => type switch
    {
        { SpecialType: SpecialType.System_String } => true,
        INamedTypeSymbol { IsTupleType: true } tuple => tuple.TupleElements.Any(e => HasString(e.Type)),
        INamedTypeSymbol { IsGenericType: true } generic => generic.TypeArguments.Any(HasString),
        IArrayTypeSymbol array => HasString(array.ElementType),
        _ => false,
    };
}
