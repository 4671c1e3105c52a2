using System.Linq.Expressions;
using System.Reflection;
using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using LX = System.Linq.Expressions.Expression;

namespace RulesBilling.Dsl.Compilation;

/// <summary>
/// Lowers bound expressions to typed, unboxed System.Linq.Expressions and compiles them to delegates.
/// Present values use their CLR type (decimal, string, bool, DateTimeOffset, TimeSpan); a value that may be absent
/// is an <c>object</c> that is null when absent. Only <c>and</c>/<c>or</c> short-circuit; everything that can fail
/// goes through <see cref="RuntimeFunctions"/> with the source location of the operation.
/// </summary>
internal sealed class ExpressionCompiler
{
    private readonly SourceText _source;
    private readonly ParameterExpression _parameter;
    private readonly bool _located;
    private bool _plainArithmetic;

    private ExpressionCompiler(SourceText source, ParameterExpression parameter, bool located)
    {
        _source = source;
        _parameter = parameter;
        _located = located;
    }

    /// <summary>An event expression whose (present) value has CLR type <typeparamref name="T"/>.</summary>
    public static Func<RuleEvent, T> CompileEvent<T>(BoundExpr expr, SourceText source) =>
        Compile<RuleEvent, T>("e", source, c => LX.Convert(c.Lower(expr), typeof(T)));

    /// <summary>A key or key selector: strings as they are, numbers formatted invariantly.</summary>
    public static Func<RuleEvent, string> CompileKey(BoundExpr expr, SourceText source) =>
        Compile<RuleEvent, string>("e", source, c =>
        {
            var body = c.Lower(expr);
            return expr.Type.IsNumber ? Call(nameof(RuntimeFunctions.FormatNumber), body) : body;
        });

    /// <summary>A dimension value or split target: a string, or null when absent.</summary>
    public static Func<RuleEvent, string?> CompileOptionalString(BoundExpr expr, SourceText source) =>
        Compile<RuleEvent, string?>("e", source, c => LX.TypeAs(c.Lower(expr), typeof(string)));

    /// <summary>The quantity, refusing negative values (RB0903) at the quantity expression.</summary>
    public static Func<RuleEvent, decimal> CompileQuantity(BoundExpr expr, SourceText source) =>
        Compile<RuleEvent, decimal>("e", source, c => Call(nameof(RuntimeFunctions.CheckQuantity), c.Lower(expr), c.At(expr.Span)));

    /// <summary>A quantity that may be negative: the change of a level that a <c>weighted_sum</c> charge aggregates.</summary>
    public static Func<RuleEvent, decimal> CompileSignedQuantity(BoundExpr expr, SourceText source) =>
        Compile<RuleEvent, decimal>("e", source, c => LX.Convert(c.Lower(expr), typeof(decimal)));

    /// <summary>The value an <c>aggregate unique of …</c> counts, over the outcome's dimensions: strings as they are, numbers invariant.</summary>
    public static Func<IReadOnlyDictionary<string, string?>, string> CompileDimensionKey(BoundExpr expr, SourceText source) =>
        Compile<IReadOnlyDictionary<string, string?>, string>("dimensions", source, c =>
        {
            var body = c.Lower(expr);
            return expr.Type.IsNumber ? Call(nameof(RuntimeFunctions.FormatNumber), body) : body;
        });

    public static Func<IReadOnlyDictionary<string, string?>, bool> CompileFilter(BoundExpr expr, SourceText source) =>
        Compile<IReadOnlyDictionary<string, string?>, bool>("dimensions", source, c => c.Lower(expr));

    public static Func<GuardContext, bool> CompileGuard(BoundExpr expr, SourceText source) =>
        Compile<GuardContext, bool>("period", source, c => c.Lower(expr));

    /// <summary>Any event expression as an object (for the REPL): null when absent, else the boxed value.</summary>
    public static Func<RuleEvent, object?> CompileBoxed(BoundExpr expr, SourceText source) =>
        Compile<RuleEvent, object?>("e", source, c => LX.Convert(c.Lower(expr), typeof(object)));

    /// <summary>
    /// Compiles <paramref name="body"/> twice over: decimal +, − and × as plain operators (the fast path, which the
    /// JIT can inline), and, only when one of them overflows, once more with every operation located
    /// (<see cref="RuntimeFunctions"/>), re-run on the same input to throw RB0902 at the operator that overflowed.
    /// Rules are pure functions of the event, so the re-run takes the same steps up to that operator.
    /// </summary>
    private static Func<TIn, TOut> Compile<TIn, TOut>(string name, SourceText source, Func<ExpressionCompiler, LX> body)
    {
        var parameter = LX.Parameter(typeof(TIn), name);
        var fast = new ExpressionCompiler(source, parameter, located: false);
        var fastBody = body(fast);
        if (!fast._plainArithmetic) return LX.Lambda<Func<TIn, TOut>>(fastBody, parameter).Compile();

        var located = new Lazy<Func<TIn, TOut>>(() =>
        {
            var p = LX.Parameter(typeof(TIn), name);
            return LX.Lambda<Func<TIn, TOut>>(body(new ExpressionCompiler(source, p, located: true)), p).Compile();
        });
        var rerun = LX.Invoke(LX.Property(LX.Constant(located), nameof(Lazy<Func<TIn, TOut>>.Value)), parameter);
        return LX.Lambda<Func<TIn, TOut>>(LX.TryCatch(fastBody, LX.Catch(typeof(OverflowException), rerun)), parameter).Compile();
    }

    private LX Lower(BoundExpr node) => node switch
    {
        BoundLiteral literal => LX.Constant(literal.Value, FieldTypes.ClrType(literal.Type)),
        BoundFieldRead field => field.Type.Optional ? ReadSlot(field) : LX.Convert(ReadSlot(field), FieldTypes.ClrType(field.Type)),
        BoundMetaRead meta => LX.Property(_parameter, meta.Field.ToString()),
        BoundExtensionRead extension => extension.Type.Optional ? LX.Convert(ReadExtension(extension), typeof(object)) : ReadExtension(extension),
        BoundDimensionRead dimension => dimension.Type.Optional ? LX.Convert(ReadDimension(dimension), typeof(object)) : ReadDimension(dimension),
        BoundHas has => LX.NotEqual(LowerRaw(has.Target), LX.Constant(null)),
        BoundUnary unary => LowerUnary(unary),
        BoundBinary binary => LowerBinary(binary),
        BoundCoalesce coalesce => LowerCoalesce(coalesce),
        BoundIn inExpr => LowerIn(inExpr),
        BoundIf ifExpr => LX.Condition(Lower(ifExpr.Condition), Lower(ifExpr.Then), Lower(ifExpr.Else), ClrTypeOf(ifExpr.Type)),
        BoundCall call => LowerCall(call),
        BoundScriptCall script => LX.Convert(LX.Invoke(LX.Constant(script.Evaluate), _parameter), ClrTypeOf(script.Type)),
        BoundGuardCall guard => LX.Call(_parameter, typeof(GuardContext).GetMethod(guard.Function.ToString())!, LX.Constant(guard.Outcome, typeof(string))),
        _ => throw new InvalidOperationException($"cannot compile {node.GetType().Name}; the checker should have refused it"),
    };

    private static Type ClrTypeOf(RuleType type) => type.Optional ? typeof(object) : FieldTypes.ClrType(type);

    private LX ReadSlot(BoundFieldRead field) =>
        LX.ArrayIndex(LX.Property(_parameter, nameof(RuleEvent.Fields)), LX.Constant(field.Field.Slot));

    private LX ReadExtension(BoundExtensionRead extension) =>
        Call(nameof(RuntimeFunctions.Extension), LX.Property(_parameter, nameof(RuleEvent.Extensions)), LX.Constant(extension.Name));

    private LX ReadDimension(BoundDimensionRead dimension) =>
        Call(nameof(RuntimeFunctions.Dimension), _parameter, LX.Constant(dimension.Name));

    /// <summary>The possibly-absent value of a field or dimension as an object, ignoring narrowing.</summary>
    private LX LowerRaw(BoundExpr target) => target switch
    {
        BoundFieldRead field => ReadSlot(field),
        BoundDimensionRead dimension => LX.Convert(ReadDimension(dimension), typeof(object)),
        BoundExtensionRead extension => LX.Convert(ReadExtension(extension), typeof(object)),
        _ => LX.Convert(Lower(target), typeof(object)),
    };

    private LX LowerUnary(BoundUnary unary)
    {
        var operand = Lower(unary.Operand);
        return unary.Op switch
        {
            BoundUnaryOperator.Not => LX.Not(operand),
            BoundUnaryOperator.Negate => LX.Negate(operand),
            _ => Call(nameof(RuntimeFunctions.NegateDuration), operand, At(unary.Span)),
        };
    }

    private LX LowerBinary(BoundBinary binary)
    {
        var left = Lower(binary.Left);
        var right = Lower(binary.Right);
        var at = At(binary.Span);
        switch (binary.Op)
        {
            case BoundBinaryOperator.And: return LX.AndAlso(left, right);
            case BoundBinaryOperator.Or: return LX.OrElse(left, right);
            case BoundBinaryOperator.Add: return Arithmetic(LX.Add, nameof(RuntimeFunctions.Add), left, right, at);
            case BoundBinaryOperator.Subtract: return Arithmetic(LX.Subtract, nameof(RuntimeFunctions.Subtract), left, right, at);
            case BoundBinaryOperator.Multiply: return Arithmetic(LX.Multiply, nameof(RuntimeFunctions.Multiply), left, right, at);
            case BoundBinaryOperator.Divide: return Call(nameof(RuntimeFunctions.Divide), left, right, at);
            case BoundBinaryOperator.Concat: return Call(nameof(RuntimeFunctions.Concat), left, right);
            case BoundBinaryOperator.AddDuration: return Call(nameof(RuntimeFunctions.AddDuration), left, right, at);
            case BoundBinaryOperator.SubtractDuration: return Call(nameof(RuntimeFunctions.SubtractDuration), left, right, at);
            case BoundBinaryOperator.SubtractTimestamps: return Call(nameof(RuntimeFunctions.SubtractTimestamps), left, right);
            case BoundBinaryOperator.AddDurations: return Call(nameof(RuntimeFunctions.AddDurations), left, right, at);
            case BoundBinaryOperator.SubtractDurations: return Call(nameof(RuntimeFunctions.SubtractDurations), left, right, at);
            case BoundBinaryOperator.MultiplyDuration: return Call(nameof(RuntimeFunctions.MultiplyDuration), left, right, at);
        }

        return Compare(binary.Op, binary.Left.Type, left, right);
    }

    /// <summary>Decimal +, − or ×: a plain operator on the fast path, the located runtime function on the re-run.</summary>
    private LX Arithmetic(Func<LX, LX, BinaryExpression> plain, string located, LX left, LX right, ConstantExpression at)
    {
        if (_located) return Call(located, left, right, at);
        _plainArithmetic = true;
        return plain(left, right);
    }

    /// <summary>A comparison of two present values of compatible <paramref name="operandType"/>; strings are ordinal.</summary>
    private static LX Compare(BoundBinaryOperator op, RuleType operandType, LX left, LX right)
    {
        if (operandType.Kind == TypeKind.String)
        {
            if (op is BoundBinaryOperator.Equal or BoundBinaryOperator.NotEqual)
            {
                var equal = Call(nameof(RuntimeFunctions.StringEquals), left, right);
                return op == BoundBinaryOperator.Equal ? equal : LX.Not(equal);
            }
            left = Call(nameof(RuntimeFunctions.CompareStrings), left, right);
            right = LX.Constant(0);
        }
        return op switch
        {
            BoundBinaryOperator.Equal => LX.Equal(left, right),
            BoundBinaryOperator.NotEqual => LX.NotEqual(left, right),
            BoundBinaryOperator.Less => LX.LessThan(left, right),
            BoundBinaryOperator.LessOrEqual => LX.LessThanOrEqual(left, right),
            BoundBinaryOperator.Greater => LX.GreaterThan(left, right),
            _ => LX.GreaterThanOrEqual(left, right),
        };
    }

    private LX LowerCoalesce(BoundCoalesce coalesce)
    {
        var left = LowerRaw(coalesce.Left);
        var right = Lower(coalesce.Right);
        if (coalesce.Type.Optional) return LX.Coalesce(left, LX.Convert(right, typeof(object)));
        var value = LX.Variable(typeof(object), "value");
        return LX.Block(
            [value],
            LX.Assign(value, left),
            LX.Condition(LX.Equal(value, LX.Constant(null)), right, LX.Convert(value, right.Type)));
    }

    private LX LowerIn(BoundIn inExpr)
    {
        var value = Lower(inExpr.Value);
        var temp = LX.Variable(value.Type, "value");
        LX any = LX.Constant(false);
        for (var i = inExpr.Items.Count - 1; i >= 0; i--)
        {
            var test = Compare(BoundBinaryOperator.Equal, inExpr.Value.Type, temp, Lower(inExpr.Items[i]));
            any = i == inExpr.Items.Count - 1 ? test : LX.OrElse(test, any);
        }
        if (inExpr.Negated) any = LX.Not(any);
        return LX.Block([temp], LX.Assign(temp, value), any);
    }

    private LX LowerCall(BoundCall call)
    {
        var args = call.Arguments.Select(Lower).ToList();
        if (call.Function == BuiltinFunction.Round)
        {
            var digits = (decimal)((BoundLiteral)call.Arguments[1]).Value;
            args[1] = LX.Constant((int)digits);
        }
        if (call.Function == BuiltinFunction.Matches)
        {
            // Compiled here, once per rule set; every event reuses it.
            args[1] = LX.Constant(RulePatterns.Create((string)((BoundLiteral)call.Arguments[1]).Value));
        }
        return Call(call.Function.ToString(), [.. args]);
    }

    private ConstantExpression At(TextSpan span)
    {
        var (line, column) = _source.GetLineColumn(span.Start);
        return LX.Constant(new SourceLocation(_source.Path, line, column));
    }

    private static MethodCallExpression Call(string name, params LX[] args)
    {
        var method = typeof(RuntimeFunctions).GetMethod(name, BindingFlags.Public | BindingFlags.Static, args.Select(a => a.Type).ToArray())
            ?? throw new InvalidOperationException($"no runtime function {name}({string.Join(", ", args.Select(a => a.Type.Name))})");
        return LX.Call(method, args);
    }
}
