using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// Bounds the stack one script frame can take, so the run-time headroom check (<see cref="ScriptBudget.Enter"/>, made
/// at every script entry and every local function or lambda call) always leaves room for the next frame: a value
/// type may take at most <see cref="MaxValueSize"/> bytes — tuples of tuples double in size with every line and one
/// local of 2^20 decimals overflows the stack in a single frame — and the locals and composite temporaries of one
/// function at most <see cref="MaxFrameSize"/> bytes. Sizes are estimates that err on the large side.
/// </summary>
internal static class ScriptStackCheck
{
    public const long MaxValueSize = 256;
    public const long MaxFrameSize = 32 * 1024;

    public static IEnumerable<(SyntaxNode At, string Message)> Check(IOperation root)
    {
        var sizes = new Dictionary<ITypeSymbol, long>(SymbolEqualityComparer.Default);
        var frames = new Dictionary<IOperation, (long Bytes, HashSet<ISymbol> Locals)>();
        var problems = new List<(SyntaxNode, string)>();
        foreach (var operation in root.DescendantsAndSelf())
        {
            var type = operation.Type;
            var size = type is { IsValueType: true } ? Size(type, sizes) : 0;
            if (size > MaxValueSize)
            {
                problems.Add((operation.Syntax,
                    $"a value of type '{Describe(type!)}' is too large for a script ({Shown(size)} bytes; at most {MaxValueSize}): use an array or fewer tuple levels"));
                return problems; // every enclosing expression is at least as large: one report is enough
            }
            ILocalSymbol? local = operation switch
            {
                ILocalReferenceOperation reference => reference.Local,
                IVariableDeclaratorOperation declarator => declarator.Symbol,
                IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared } => declared,
                _ => null,
            };
            var function = Function(operation, root);
            frames.TryGetValue(function, out var frame);
            frame.Locals ??= new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var before = frame.Bytes;
            if (local is not null)
            {
                if (frame.Locals.Add(local) && local.Type.IsValueType) frame.Bytes += Size(local.Type, sizes);
            }
            else if (size > 16 && operation is ITupleOperation or IObjectCreationOperation or IDefaultValueOperation or IInvocationOperation)
            {
                frame.Bytes += size; // a composite temporary
            }
            frames[function] = frame;
            if (before <= MaxFrameSize && frame.Bytes > MaxFrameSize)
            {
                problems.Add((operation.Syntax,
                    $"this function's locals and temporaries need more than {MaxFrameSize} bytes of stack: split it into smaller functions or use arrays"));
            }
        }
        return problems;
    }

    /// <summary>The function whose frame holds an operation's values: the nearest lambda or local function, else the script.</summary>
    private static IOperation Function(IOperation operation, IOperation root)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation) return current;
        }
        return root;
    }

    /// <summary>Estimated bytes of a value on the stack, saturating well above the limits (types can double per level).</summary>
    private static long Size(ITypeSymbol type, Dictionary<ITypeSymbol, long> known)
    {
        if (!type.IsValueType) return 8;
        if (known.TryGetValue(type, out var cached)) return cached;
        long size = type.SpecialType switch
        {
            SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte => 1,
            SpecialType.System_Char or SpecialType.System_Int16 or SpecialType.System_UInt16 => 2,
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
            SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double
                or SpecialType.System_IntPtr or SpecialType.System_UIntPtr or SpecialType.System_DateTime => 8,
            SpecialType.System_Decimal => 16,
            _ => -1,
        };
        if (size < 0)
        {
            size = type switch
            {
                INamedTypeSymbol { TypeKind: TypeKind.Enum } => 8,
                INamedTypeSymbol { IsTupleType: true } tuple => Sum(tuple.TupleElements.Select(e => e.Type), known),
                INamedTypeSymbol { IsGenericType: true } generic => 8 + Sum(generic.TypeArguments, known),
                _ => 16, // DateTimeOffset, TimeSpan and the other allowed plain structs
            };
        }
        known[type] = size;
        return size;
    }

    private static long Sum(IEnumerable<ITypeSymbol> types, Dictionary<ITypeSymbol, long> known)
    {
        long total = 0;
        foreach (var type in types) total = Math.Min(total + Size(type, known), long.MaxValue / 4);
        return total;
    }

    private static string Shown(long size) => size >= long.MaxValue / 4 ? "more than 10^18" : size.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(ITypeSymbol type)
    {
        var text = type.ToDisplayString();
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
