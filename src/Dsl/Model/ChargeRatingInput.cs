namespace RulesBilling.Dsl.Model;

/// <summary>
/// What a rating script sees (as <c>charge</c>): the outcomes assigned to one charge in one contract segment, in
/// billing order, and their aggregates. Read-only: scripts can read the properties and nothing else.
/// </summary>
public sealed record ChargeRatingInput(
    string Outcome,
    decimal Quantity,
    decimal FreeQuantity,
    decimal BilledQuantity,
    IReadOnlyList<RatedOutcome> Outcomes,
    RatingContext Context)
{
    public int Count => Outcomes.Count;

    /// <summary>Σ outcome values (outcomes without a value count as 0).</summary>
    public decimal TotalValue => Outcomes.Sum(o => o.Value ?? 0m);
}

/// <summary>One outcome of a rated charge. <see cref="BilledQuantity"/> is its quantity after free units.</summary>
public sealed record RatedOutcome(
    string Key,
    DateTimeOffset BillableAt,
    decimal Quantity,
    decimal BilledQuantity,
    decimal? Value,
    IReadOnlyDictionary<string, string?> Dimensions);

/// <summary>The period and contract a charge is rated in (as <c>ctx</c> in a rating script).</summary>
public sealed record RatingContext(
    string Customer,
    string Contract,
    int ContractVersion,
    string Currency,
    DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo,
    DateTimeOffset SegmentFrom,
    DateTimeOffset SegmentTo);
