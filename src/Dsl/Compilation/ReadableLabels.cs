using System.Globalization;
using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Compilation;

/// <summary>
/// What an invoice says where the rule set declares no <c>label</c> (docs/dsl-spec.md §9.11): the outcome's label,
/// and for a filtered charge the filter in words when it is a simple one ("priority urgent or high"). Never DSL text.
/// </summary>
internal static class ReadableLabels
{
    public static string Charge(BoundCharge charge, int index, IReadOnlyList<BoundCharge> all, string outcomeLabel)
    {
        if (charge.Label is { } declared) return declared;
        if (charge.Filter is { } filter)
            return $"{outcomeLabel} ({Filter(filter) ?? $"group {(index + 1).ToString(CultureInfo.InvariantCulture)}"})";
        // An unfiltered charge after filtered ones of the same outcome takes what they did not.
        return all.Take(index).Any(c => c.Outcome == charge.Outcome && c.Filter is not null) ? $"{outcomeLabel} (all other)" : outcomeLabel;
    }

    /// <summary>A filter of dimension comparisons joined by <c>and</c>, in words; null for anything else.</summary>
    private static string? Filter(BoundExpr filter) => filter switch
    {
        BoundBinary { Op: BoundBinaryOperator.And } and =>
            Filter(and.Left) is { } left && Filter(and.Right) is { } right ? $"{left}, {right}" : null,
        BoundBinary { Op: BoundBinaryOperator.Equal or BoundBinaryOperator.NotEqual } compare
            when Dimension(compare.Left) is { } name && Literal(compare.Right) is { } value =>
            compare.Op == BoundBinaryOperator.Equal ? $"{name} {value}" : $"{name} not {value}",
        BoundIn @in when Dimension(@in.Value) is { } name && @in.Items.Select(Literal).ToList() is var values
                                                           && values.Count > 0 && values.All(v => v is not null) =>
            $"{name} {(@in.Negated ? "not " : "")}{string.Join(" or ", values)}",
        BoundHas { Target: BoundDimensionRead read } => $"with {ReadableText.Humanize(read.Name).ToLowerInvariant()}",
        _ => null,
    };

    private static string? Dimension(BoundExpr expr) => expr switch
    {
        BoundDimensionRead read => read.Name.Replace('_', ' '),
        BoundCoalesce { Left: BoundDimensionRead read } => read.Name.Replace('_', ' '),
        _ => null,
    };

    private static string? Literal(BoundExpr expr) => expr switch
    {
        BoundLiteral { Value: string s } => s,
        BoundLiteral { Value: decimal d } => d.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The top-level <c>and</c>-parts of a condition, left to right.</summary>
    public static IReadOnlyList<ConditionPart> ConditionParts(BoundExpr condition, SourceText source)
    {
        var parts = new List<BoundExpr>();
        void Split(BoundExpr e)
        {
            if (e is BoundBinary { Op: BoundBinaryOperator.And } and)
            {
                Split(and.Left);
                Split(and.Right);
            }
            else parts.Add(e);
        }
        Split(condition);
        return parts.Select(p => new ConditionPart(
            source.Text[p.Span.Start..p.Span.End],
            ExpressionCompiler.CompileEvent<bool>(p, source),
            Fields(p).DistinctBy(f => f.Slot).ToArray())).ToArray();
    }

    private static IEnumerable<ConditionField> Fields(BoundExpr expr) => expr switch
    {
        BoundFieldRead read => [new ConditionField(read.Field.Name, read.Field.Slot)],
        BoundHas has => Fields(has.Target),
        BoundUnary unary => Fields(unary.Operand),
        BoundBinary binary => Fields(binary.Left).Concat(Fields(binary.Right)),
        BoundCoalesce coalesce => Fields(coalesce.Left).Concat(Fields(coalesce.Right)),
        BoundIn @in => Fields(@in.Value).Concat(@in.Items.SelectMany(Fields)),
        BoundIf @if => Fields(@if.Condition).Concat(Fields(@if.Then)).Concat(Fields(@if.Else)),
        BoundCall call => call.Arguments.SelectMany(Fields),
        _ => [],
    };
}
