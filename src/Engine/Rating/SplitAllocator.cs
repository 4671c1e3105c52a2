namespace RulesBilling.Engine.Rating;

/// <summary>
/// Splits an amount by fractions (or any weights, read as weight / Σ weights): each share is rounded half-up at
/// the currency's minor units and the remainder goes to the FIRST share, so the shares sum to the amount exactly.
/// </summary>
internal static class SplitAllocator
{
    public static IReadOnlyList<decimal> Allocate(decimal amount, IReadOnlyList<decimal> fractions, string currency)
    {
        if (fractions.Count == 0)
            throw new ArgumentException("a split needs at least one share", nameof(fractions));
        if (!CurrencyMath.IsRounded(amount, currency))
            throw new ArgumentException($"only amounts at {currency} precision can be split exactly", nameof(amount));
        var total = fractions.Sum();
        if (total == 0m)
            throw new ArgumentException("split fractions sum to zero", nameof(fractions));

        var shares = new decimal[fractions.Count];
        for (var i = 0; i < shares.Length; i++)
            shares[i] = CurrencyMath.RoundHalfUp(total == 1m ? amount * fractions[i] : amount * fractions[i] / total, currency);
        shares[0] += amount - shares.Sum();
        return shares;
    }
}
