namespace RulesBilling.Dsl.Model;

/// <summary>How a charge reads its quantity from its outcomes (docs/dsl-spec.md §9.12).</summary>
public enum AggregationKind
{
    /// <summary>Σ outcome quantities: the default, and what a charge without <c>aggregate</c> does.</summary>
    Sum,
    /// <summary>The number of outcomes, whatever their quantity.</summary>
    Count,
    Max,
    Min,
    /// <summary>The quantity of the last outcome by (event time, source, id).</summary>
    Latest,
    /// <summary>The number of distinct values of an expression over the outcome's dimensions.</summary>
    Unique,
    /// <summary>Quantities are changes of a level; the level weighted by the share of the period it held.</summary>
    WeightedSum,
}

/// <summary>Time buckets, aligned to the billing period's time zone (UTC).</summary>
public enum AggregationBucket { Minute, Hour, Day }

/// <summary>
/// The <c>aggregate</c> clause of a charge. <see cref="UniqueOf"/> is the value counted by <c>unique</c> (as text:
/// numbers invariant, so 2.50 and 2.5 differ only as they are written); <see cref="Bucket"/> rates per time bucket:
/// the bucket values are summed into the quantity, or, <see cref="PricedSeparately"/>, each bucket is priced on its own.
/// </summary>
public sealed record ChargeAggregation(
    AggregationKind Kind,
    Func<IReadOnlyDictionary<string, string?>, string>? UniqueOf,
    string? UniqueText,
    AggregationBucket? Bucket,
    bool PricedSeparately)
{
    /// <summary>The clause in words, for the invoice line's breakdown ("max per hour").</summary>
    public string Describe()
    {
        var name = Kind switch
        {
            AggregationKind.Sum => "sum",
            AggregationKind.Count => "count",
            AggregationKind.Max => "max",
            AggregationKind.Min => "min",
            AggregationKind.Latest => "latest",
            AggregationKind.Unique => $"unique {UniqueText}",
            _ => "weighted sum",
        };
        return Bucket is { } bucket ? $"{name} per {BucketName(bucket)}" : name;
    }

    public static string BucketName(AggregationBucket bucket) => bucket switch
    {
        AggregationBucket.Minute => "minute",
        AggregationBucket.Hour => "hour",
        _ => "day",
    };
}
