using System.Collections.Frozen;
using Microsoft.CodeAnalysis;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// The allowlist: which types and members a script may use. Deny by default — a type is usable only when listed here
/// (or is an array, tuple, anonymous type or nullable of usable types), and a member only when its type is usable, the
/// member is not singled out below, and every type in its signature is usable. Everything reachable is pure: no I/O,
/// reflection, threads, processes, network, environment, clocks, randomness or floating point.
/// </summary>
internal static class ScriptApiPolicy
{
    /// <summary>Types whose public members are usable, minus <see cref="DeniedMembers"/>.</summary>
    private static readonly FrozenSet<string> OpenTypes = new[]
    {
        "System.Math", "System.MidpointRounding", "System.StringComparison", "System.StringSplitOptions", "System.Nullable`1",
        "System.DateTimeOffset", "System.DateTime", "System.DateOnly", "System.TimeSpan", "System.DayOfWeek",
        "System.Index", "System.Range",
        "System.ValueTuple", "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4",
        "System.ValueTuple`5", "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
        "System.Collections.Generic.KeyValuePair`2",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Types usable with only the listed members.</summary>
    private static readonly FrozenDictionary<string, FrozenSet<string>> RestrictedTypes = new Dictionary<string, string[]>
    {
        ["System.Object"] = ["Equals", "ToString", "ReferenceEquals"],
        ["System.String"] =
        [
            "Length", "Chars", "get_Chars", "Substring", "Contains", "StartsWith", "EndsWith", "IndexOf", "LastIndexOf",
            "ToLowerInvariant", "ToUpperInvariant", "Trim", "TrimStart", "TrimEnd", "Equals", "CompareOrdinal",
            "IsNullOrEmpty", "IsNullOrWhiteSpace", "Split", "op_Equality", "op_Inequality", "ToString",
        ],
        ["System.Array"] = ["Length"],
        ["System.Collections.Generic.IEnumerable`1"] = ["GetEnumerator"],
        ["System.Collections.Generic.IEnumerator`1"] = ["Current"],
        ["System.Collections.IEnumerator"] = ["MoveNext", "Current"],
        ["System.IDisposable"] = ["Dispose"],
        ["System.CharEnumerator"] = ["MoveNext", "Current", "Dispose"],
        ["System.Collections.Generic.IReadOnlyCollection`1"] = ["Count"],
        ["System.Collections.Generic.IReadOnlyList`1"] = ["this[]", "get_Item", "Item"],
        ["System.Collections.Generic.IReadOnlyDictionary`2"] = ["TryGetValue", "ContainsKey", "this[]", "get_Item", "Item", "Keys", "Values"],
        ["System.Func`1"] = ["Invoke"], ["System.Func`2"] = ["Invoke"], ["System.Func`3"] = ["Invoke"], ["System.Func`4"] = ["Invoke"],
        ["System.Func`5"] = ["Invoke"], ["System.Action`1"] = ["Invoke"], ["System.Action`2"] = ["Invoke"],
        ["System.Linq.IOrderedEnumerable`1"] = [],
        ["System.Linq.IGrouping`2"] = ["Key"],
        ["System.Linq.Enumerable"] =
        [
            "Where", "Select", "SelectMany", "Sum", "Count", "Any", "All", "Min", "Max", "MinBy", "MaxBy", "Average",
            "OrderBy", "OrderByDescending", "First", "FirstOrDefault", "Last", "LastOrDefault", "Single", "SingleOrDefault",
            "Take", "Skip", "TakeWhile", "SkipWhile", "Distinct", "DistinctBy", "GroupBy", "ToArray", "Contains",
            "Aggregate", "Reverse", "ElementAt", "ElementAtOrDefault",
        ],
    }.ToFrozenDictionary(e => e.Key, e => e.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Members of open types that read ambient state (the clock, the local time zone).</summary>
    private static readonly FrozenSet<string> DeniedMembers = new[]
    {
        "System.DateTime.Now", "System.DateTime.UtcNow", "System.DateTime.Today", "System.DateTime.ToLocalTime",
        "System.DateTime.ToUniversalTime", "System.DateTimeOffset.Now", "System.DateTimeOffset.UtcNow",
        "System.DateTimeOffset.LocalDateTime", "System.DateTimeOffset.ToLocalTime", "System.DateOnly.FromDateTime",
        "System.Object.GetType", "System.Object.MemberwiseClone",
        // Each of these converts between UTC and the machine's time zone (a string without an offset is read as
        // local time; a file time or binary value is local) or asks whether local daylight saving is in effect.
        "System.DateTime.Parse", "System.DateTime.TryParse", "System.DateTime.ParseExact", "System.DateTime.TryParseExact",
        "System.DateTime.FromFileTime", "System.DateTime.ToFileTime", "System.DateTime.FromBinary", "System.DateTime.ToBinary",
        "System.DateTime.IsDaylightSavingTime", "System.DateTime.GetDateTimeFormats",
        "System.DateTimeOffset.Parse", "System.DateTimeOffset.TryParse", "System.DateTimeOffset.ParseExact",
        "System.DateTimeOffset.TryParseExact", "System.DateTimeOffset.FromFileTime", "System.DateTimeOffset.op_Implicit",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>String members that compare by culture when no <see cref="StringComparison"/> is given.</summary>
    private static readonly FrozenSet<string> CultureComparisons = new[] { "StartsWith", "EndsWith", "IndexOf", "LastIndexOf" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>LINQ operators that order or compare keys with the default comparer (culture-sensitive for strings).</summary>
    public static readonly FrozenSet<string> OrderingOperators = new[] { "OrderBy", "OrderByDescending", "Min", "Max", "MinBy", "MaxBy" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The facade: only its properties are readable.</summary>
    private static readonly FrozenSet<string> FacadeTypes = new[]
    {
        $"{ScriptTemplate.Namespace}.{ScriptTemplate.EventClass}",
        typeof(ScriptEventMeta).FullName!,
        typeof(Model.ChargeRatingInput).FullName!,
        typeof(Model.RatedOutcome).FullName!,
        typeof(Model.RatingContext).FullName!,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Null when the type is usable, else the name of the offending type.</summary>
    public static string? Why(ITypeSymbol? type)
    {
        switch (type)
        {
            case null:
                return null;
            case IArrayTypeSymbol array:
                return array.Rank == 1 ? Why(array.ElementType) : array.ToDisplayString();
            case ITypeParameterSymbol:
                return null;
            case INamedTypeSymbol named:
                if (named.IsAnonymousType) return null;
                if (named.IsTupleType) return named.TupleElements.Select(e => Why(e.Type)).FirstOrDefault(w => w is not null);
                if (!IsAllowedDefinition(named)) return named.ToDisplayString();
                return named.TypeArguments.Select(Why).FirstOrDefault(w => w is not null);
            default:
                return type.ToDisplayString();
        }
    }

    private static bool IsAllowedDefinition(INamedTypeSymbol named)
    {
        switch (named.SpecialType)
        {
            case SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte
                or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
                or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Decimal or SpecialType.System_Void:
                return true;
            case SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_IntPtr or SpecialType.System_UIntPtr:
                return false;
        }
        var name = FullName(named.OriginalDefinition);
        return OpenTypes.Contains(name) || RestrictedTypes.ContainsKey(name) || FacadeTypes.Contains(name);
    }

    /// <summary>Null when the member is usable, else a reason.</summary>
    public static string? WhyMember(ISymbol member)
    {
        if (member.Name.StartsWith("__", StringComparison.Ordinal)) return $"'{member.Name}' is internal to the script host";
        if (member.IsExtern) return $"extern member '{member.ToDisplayString()}'";
        if (member.Name == "GetHashCode")
            return "'GetHashCode' differs between processes (string hashes are randomised per process); compare the values themselves";
        var owner = member.ContainingType;
        if (owner is null) return null;
        if (owner.IsAnonymousType || owner.IsTupleType) return SignatureProblem(member);
        var ownerDefinition = owner.OriginalDefinition;
        var ownerName = FullName(ownerDefinition);
        if (Why(owner) is { } badOwner) return $"type '{badOwner}' is not available to scripts";
        if (DeniedMembers.Contains($"{ownerName}.{member.Name}")) return $"'{ownerName}.{member.Name}' reads ambient state (the clock or the machine's time zone)";
        if (ownerName == "System.DateTimeOffset" && member is IMethodSymbol { MethodKind: MethodKind.Constructor, Parameters: [{ Type.SpecialType: SpecialType.System_DateTime }] })
        {
            return "'new DateTimeOffset(DateTime)' takes the machine's time-zone offset; pass the offset, e.g. new DateTimeOffset(dt, TimeSpan.Zero)";
        }
        if (ownerName == "System.String" && CultureComparisons.Contains(member.Name) && member is IMethodSymbol culture
            && culture.Parameters.Length > 0 && culture.Parameters[0].Type.SpecialType == SpecialType.System_String
            && !culture.Parameters.Any(p => p.Type is INamedTypeSymbol { Name: "StringComparison" }))
        {
            return $"'string.{member.Name}(string)' compares by culture, which differs between machines; pass StringComparison.Ordinal";
        }
        if (FacadeTypes.Contains(ownerName))
        {
            if (member is not IPropertySymbol && member is not IMethodSymbol { MethodKind: MethodKind.PropertyGet })
                return $"only the properties of '{owner.Name}' are available to scripts";
        }
        else if (RestrictedTypes.TryGetValue(ownerName, out var names) && !names.Contains(MemberName(member)))
        {
            return $"'{ownerName}.{member.Name}' is not available to scripts";
        }
        return SignatureProblem(member);
    }

    private static string MemberName(ISymbol member) => member switch
    {
        IMethodSymbol { MethodKind: MethodKind.PropertyGet, AssociatedSymbol: { } property } => property.Name,
        IMethodSymbol { ReducedFrom: { } reduced } => reduced.Name,
        _ => member.Name,
    };

    /// <summary>Null when every type a member's signature mentions is usable.</summary>
    public static string? SignatureProblem(ISymbol member)
    {
        IEnumerable<ITypeSymbol> types = member switch
        {
            IMethodSymbol method => [method.ReturnType, .. method.Parameters.Select(p => p.Type), .. method.TypeArguments],
            IPropertySymbol property => [property.Type, .. property.Parameters.Select(p => p.Type)],
            IFieldSymbol field => [field.Type],
            _ => [],
        };
        foreach (var type in types)
        {
            if (Why(type) is { } bad) return $"'{member.ContainingType?.Name}.{member.Name}' uses type '{bad}', which is not available to scripts";
        }
        return null;
    }

    public static string FullName(INamedTypeSymbol type)
    {
        var prefix = type.ContainingType is { } outer
            ? FullName(outer) + "+"
            : type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." : "";
        return prefix + type.MetadataName;
    }
}
