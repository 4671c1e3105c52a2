using System.Globalization;
using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Tests.Compilation;

/// <summary>A run-time fault found by the interpreter, with the same stable code the compiled rule must raise.</summary>
internal sealed class InterpreterFault(string code) : Exception(code)
{
    public string Code { get; } = code;
}

/// <summary>
/// A deliberately plain tree-walking evaluator of bound expressions, written from docs/dsl-spec.md §4 "Types" independently of the
/// LINQ lowering, so the two can be compared on generated programs. Absent values are null.
/// </summary>
internal static class ReferenceInterpreter
{
    public static object? Evaluate(BoundExpr node, RuleEvent e) => node switch
    {
        BoundLiteral l => l.Value,
        BoundFieldRead f => e.Fields[f.Field.Slot],
        BoundMetaRead m => m.Field switch
        {
            MetaField.Id => e.Id,
            MetaField.Source => e.Source,
            MetaField.Type => e.Type,
            MetaField.Subject => e.Subject,
            _ => e.Time,
        },
        BoundHas h => Evaluate(h.Target, e) is not null,
        BoundUnary u => Unary(u, Evaluate(u.Operand, e)),
        BoundBinary { Op: BoundBinaryOperator.And } b => (bool)Evaluate(b.Left, e)! && (bool)Evaluate(b.Right, e)!,
        BoundBinary { Op: BoundBinaryOperator.Or } b => (bool)Evaluate(b.Left, e)! || (bool)Evaluate(b.Right, e)!,
        BoundBinary b => Binary(b.Op, Evaluate(b.Left, e)!, Evaluate(b.Right, e)!),
        BoundCoalesce c => Evaluate(c.Left, e) ?? Evaluate(c.Right, e),
        BoundIn i => In(i, e),
        BoundIf f => (bool)Evaluate(f.Condition, e)! ? Evaluate(f.Then, e) : Evaluate(f.Else, e),
        BoundCall c => Call(c, c.Arguments.Select(a => Evaluate(a, e)!).ToArray()),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static object Unary(BoundUnary u, object? operand) => u.Op switch
    {
        BoundUnaryOperator.Not => !(bool)operand!,
        BoundUnaryOperator.Negate => -(decimal)operand!,
        _ => (TimeSpan)operand! == TimeSpan.MinValue ? throw new InterpreterFault("RB0902") : -(TimeSpan)operand!,
    };

    private static bool In(BoundIn i, RuleEvent e)
    {
        var value = Evaluate(i.Value, e)!;
        var found = false;
        foreach (var item in i.Items)
        {
            if (Same(value, Evaluate(item, e)!))
            {
                found = true;
                break;
            }
        }
        return found != i.Negated;
    }

    private static bool Same(object a, object b) => a switch
    {
        string s => s == (string)b,
        _ => a.Equals(b),
    };

    private static object Binary(BoundBinaryOperator op, object l, object r)
    {
        switch (op)
        {
            case BoundBinaryOperator.Add: return Checked(() => (decimal)l + (decimal)r);
            case BoundBinaryOperator.Subtract: return Checked(() => (decimal)l - (decimal)r);
            case BoundBinaryOperator.Multiply: return Checked(() => (decimal)l * (decimal)r);
            case BoundBinaryOperator.Divide:
                if ((decimal)r == 0m) throw new InterpreterFault("RB0901");
                return Checked(() => (decimal)l / (decimal)r);
            case BoundBinaryOperator.Concat: return (string)l + (string)r;
            case BoundBinaryOperator.AddDuration: return TimeChecked(() => ((DateTimeOffset)l).Add((TimeSpan)r));
            case BoundBinaryOperator.SubtractDuration: return TimeChecked(() => ((DateTimeOffset)l).Subtract((TimeSpan)r));
            case BoundBinaryOperator.SubtractTimestamps: return (DateTimeOffset)l - (DateTimeOffset)r;
            case BoundBinaryOperator.AddDurations: return TimeChecked(() => (TimeSpan)l + (TimeSpan)r);
            case BoundBinaryOperator.SubtractDurations: return TimeChecked(() => (TimeSpan)l - (TimeSpan)r);
            case BoundBinaryOperator.MultiplyDuration:
                var ticks = Checked(() => decimal.Round(((TimeSpan)l).Ticks * (decimal)r, MidpointRounding.AwayFromZero));
                if (ticks < long.MinValue || ticks > long.MaxValue) throw new InterpreterFault("RB0902");
                return new TimeSpan((long)ticks);
            case BoundBinaryOperator.Equal: return Same(l, r);
            case BoundBinaryOperator.NotEqual: return !Same(l, r);
        }
        var order = l is string ls ? string.CompareOrdinal(ls, (string)r) : ((IComparable)l).CompareTo(r);
        return op switch
        {
            BoundBinaryOperator.Less => order < 0,
            BoundBinaryOperator.LessOrEqual => order <= 0,
            BoundBinaryOperator.Greater => order > 0,
            _ => order >= 0,
        };
    }

    private static object Call(BoundCall c, object[] a) => c.Function switch
    {
        BuiltinFunction.Lower => ((string)a[0]).ToLowerInvariant(),
        BuiltinFunction.Upper => ((string)a[0]).ToUpperInvariant(),
        BuiltinFunction.Trim => ((string)a[0]).Trim(),
        BuiltinFunction.Len => (decimal)((string)a[0]).Length,
        BuiltinFunction.StartsWith => ((string)a[0]).StartsWith((string)a[1], StringComparison.Ordinal),
        BuiltinFunction.EndsWith => ((string)a[0]).EndsWith((string)a[1], StringComparison.Ordinal),
        BuiltinFunction.Contains => ((string)a[0]).Contains((string)a[1], StringComparison.Ordinal),
        BuiltinFunction.Abs => Math.Abs((decimal)a[0]),
        BuiltinFunction.Min => (decimal)a[0] <= (decimal)a[1] ? a[0] : a[1],
        BuiltinFunction.Max => (decimal)a[0] >= (decimal)a[1] ? a[0] : a[1],
        BuiltinFunction.Round => decimal.Round((decimal)a[0], (int)(decimal)a[1], MidpointRounding.AwayFromZero),
        BuiltinFunction.Floor => decimal.Floor((decimal)a[0]),
        BuiltinFunction.Ceil => decimal.Ceiling((decimal)a[0]),
        BuiltinFunction.Seconds => ((TimeSpan)a[0]).Ticks / 10_000_000m,
        BuiltinFunction.Minutes => ((TimeSpan)a[0]).Ticks / 600_000_000m,
        BuiltinFunction.Hours => ((TimeSpan)a[0]).Ticks / 36_000_000_000m,
        BuiltinFunction.Matches => System.Text.RegularExpressions.Regex.IsMatch((string)a[0], (string)a[1], System.Text.RegularExpressions.RegexOptions.CultureInvariant),
        BuiltinFunction.Substring => SubstringByChars((string)a[0], (decimal)a[1], (decimal)a[2]),
        BuiltinFunction.Split => SplitByArray((string)a[0], (string)a[1], (decimal)a[2]),
        BuiltinFunction.EmailDomain => ((string)a[0]).Contains('@') ? ((string)a[0]).Split('@')[^1].Trim().ToLowerInvariant() : "",
        BuiltinFunction.Days => ((TimeSpan)a[0]).Ticks / 864_000_000_000m,
        _ => throw new InvalidOperationException($"the reference interpreter has no {c.Function}"),
    };

    // Written differently from RuntimeFunctions on purpose, so the comparison checks the meaning, not the code.
    private static string SubstringByChars(string s, decimal start, decimal length) =>
        new(s.Skip((int)Math.Max(0m, Math.Min(start, s.Length))).Take((int)Math.Max(0m, Math.Min(length, s.Length))).ToArray());

    private static string SplitByArray(string s, string separator, decimal index)
    {
        var parts = separator.Length == 0 ? [s] : s.Split(separator);
        return index >= 0m && index < parts.Length ? parts[(int)index] : "";
    }

    private static decimal Checked(Func<decimal> f)
    {
        try { return f(); }
        catch (OverflowException) { throw new InterpreterFault("RB0902"); }
    }

    private static object TimeChecked(Func<object> f)
    {
        try { return f(); }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException) { throw new InterpreterFault("RB0902"); }
    }

    /// <summary>A value as exact text (decimal scale included) so results compare strictly.</summary>
    public static string Show(object? value) => value switch
    {
        null => "<absent>",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcTicks.ToString(CultureInfo.InvariantCulture) + "t",
        TimeSpan s => s.Ticks.ToString(CultureInfo.InvariantCulture) + "d",
        bool b => b ? "true" : "false",
        string s => "\"" + s + "\"",
        _ => value.ToString() ?? "",
    };
}
