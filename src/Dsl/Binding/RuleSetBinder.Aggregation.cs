using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

// The `aggregate` clause of a charge (docs/dsl-spec.md §9.12): which aggregation, over what, per which bucket.
internal sealed partial class RuleSetBinder
{
    private static readonly Dictionary<string, AggregationKind> Aggregations = new(StringComparer.Ordinal)
    {
        ["count"] = AggregationKind.Count,
        ["sum"] = AggregationKind.Sum,
        ["max"] = AggregationKind.Max,
        ["min"] = AggregationKind.Min,
        ["latest"] = AggregationKind.Latest,
        ["unique"] = AggregationKind.Unique,
        ["weighted_sum"] = AggregationKind.WeightedSum,
    };

    private static readonly Dictionary<string, AggregationBucket> Buckets = new(StringComparer.Ordinal)
    {
        ["minute"] = AggregationBucket.Minute,
        ["hour"] = AggregationBucket.Hour,
        ["day"] = AggregationBucket.Day,
    };

    private BoundAggregation? BindAggregation(AggregateClause clause, ChargeModel? model, Located<OutcomeDecl>? outcome, string owner, SourceText source)
    {
        var ok = true;
        if (!Aggregations.TryGetValue(clause.Function.Text, out var kind))
        {
            Error(source, clause.Function.Span, DiagnosticCodes.UnknownAggregation,
                $"'{clause.Function.Text}' is not an aggregation{NameSuggestions.DidYouMean(clause.Function.Text, Aggregations.Keys)}; use one of {NameSuggestions.List(Aggregations.Keys)}");
            return null;
        }

        AggregationBucket? bucket = null;
        if (clause.Bucket is { } bucketName)
        {
            if (Buckets.TryGetValue(bucketName.Text, out var b)) bucket = b;
            else
            {
                Error(source, bucketName.Span, DiagnosticCodes.UnknownBucket,
                    $"'{bucketName.Text}' is not a time bucket{NameSuggestions.DidYouMean(bucketName.Text, Buckets.Keys)}; use minute, hour or day");
                ok = false;
            }
            if (kind == AggregationKind.WeightedSum)
            {
                Error(source, bucketName.Span, DiagnosticCodes.WeightedSumBucket,
                    "weighted_sum already weights each level by the time it held; it takes no 'per' bucket");
                ok = false;
            }
        }

        if (model is PercentModel or ScriptModel)
        {
            Error(source, clause.Span, DiagnosticCodes.AggregationNeedsQuantityModel,
                $"{owner} prices {(model is PercentModel ? "each outcome's value" : "by script")}, not a quantity; 'aggregate' needs a 'unit', 'graduated', 'volume' or 'package' model");
            ok = false;
        }

        BoundExpr? uniqueOf = null;
        if (kind == AggregationKind.Unique)
        {
            if (clause.Of is not { } of)
            {
                Error(source, clause.Function.Span, DiagnosticCodes.AggregationOf,
                    "'unique' counts distinct values of an expression; write e.g. 'aggregate unique of user ?? \"\"'");
                ok = false;
            }
            else if (outcome is not null)
            {
                var dimensions = outcome.Decl.Clauses.OfType<DimensionsClause>().SelectMany(d => d.Entries).Select(e => e.Name.Text).Distinct().ToArray();
                var binder = new ExpressionBinder(source, _diagnostics, new FilterScope(outcome.Decl.Name.Text, dimensions), _scripts);
                uniqueOf = binder.BindValue(of);
                ok &= binder.Expect(uniqueOf, t => t.Kind == TypeKind.String || t.IsNumber, "the value counted by 'unique'", "a string or a number");
            }
        }
        else if (clause.Of is { } stray)
        {
            Error(source, stray.Span, DiagnosticCodes.AggregationOf,
                $"'{clause.Function.Text}' aggregates the outcome's quantity; only 'unique' takes 'of'. Set the quantity in the outcome ('quantity …')");
            ok = false;
        }

        if (!ok) return null;
        return new BoundAggregation(kind, uniqueOf, bucket, clause.PricedSeparately);
    }
}
