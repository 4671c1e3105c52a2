namespace RulesBilling.Dsl.Model;

/// <summary>
/// <c>thresholds 100 USD, 250 USD then every 500 USD</c> (docs/dsl-spec.md §10.9): the running usage amounts of an open
/// period at which a threshold invoice is issued, in the contract currency, strictly ascending and positive. After the
/// listed amounts, <see cref="Every"/> (when given) adds one more threshold each step above the last listed amount (or
/// above zero when none is listed).
/// </summary>
public sealed record ThresholdSchedule(IReadOnlyList<decimal> Amounts, decimal? Every)
{
    /// <summary>What the running amount counts (docs/dsl-spec.md §10.9.2): usage lines only (default), or the base fee too.</summary>
    public ThresholdBasis Basis { get; init; } = ThresholdBasis.Usage;

    /// <summary>The amount of the threshold at <paramref name="index"/> (0-based); null past the last one of a schedule without <see cref="Every"/>.</summary>
    public decimal? At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index < Amounts.Count) return Amounts[index];
        if (Every is not { } step) return null;
        var last = Amounts.Count > 0 ? Amounts[^1] : 0m;
        return last + step * (index - Amounts.Count + 1);
    }

    /// <summary>The highest index whose threshold is at or below <paramref name="amount"/>, searching from <paramref name="from"/>; -1 when none.</summary>
    public int HighestReached(decimal amount, int from)
    {
        var reached = -1;
        for (var index = from; At(index) is { } threshold && threshold <= amount; index++) reached = index;
        return reached;
    }
}

/// <summary>
/// <see cref="Usage"/>: <c>on usage</c>, the usage lines (Lago's progressive billing). <see cref="Total"/>: <c>on total</c>,
/// the base fee lines too (Stripe's <c>billing_thresholds.amount_gte</c>, which counts the subscription's amount due).
/// </summary>
public enum ThresholdBasis { Usage, Total }
