using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Tests.Rating;

public sealed class SplitAllocatorTests
{
    [Fact]
    public void Remainder_goes_to_the_first_share()
    {
        // 0.05 × 70% = 0.035 → 0.04; 0.05 × 30% = 0.015 → 0.02; Σ 0.06, remainder −0.01 → first: 0.03, 0.02.
        Assert.Equal([0.03m, 0.02m], SplitAllocator.Allocate(0.05m, [0.7m, 0.3m], "USD"));
    }

    [Fact]
    public void Exact_split_has_no_remainder()
    {
        // 100.00 × 70% = 70.00; × 30% = 30.00.
        Assert.Equal([70m, 30m], SplitAllocator.Allocate(100m, [0.7m, 0.3m], "USD"));
    }

    [Fact]
    public void Yen_split_rounds_to_whole_units()
    {
        // 101 JPY × 50% = 50.5 → 51 twice; Σ 102, remainder −1 → first: 50, 51.
        Assert.Equal([50m, 51m], SplitAllocator.Allocate(101m, [0.5m, 0.5m], "JPY"));
    }

    [Fact]
    public void Weights_are_read_as_proportions()
    {
        // 10.00 by 1:1:1 → 3.333.. → 3.33 each; Σ 9.99, remainder 0.01 → first: 3.34.
        Assert.Equal([3.34m, 3.33m, 3.33m], SplitAllocator.Allocate(10m, [1m, 1m, 1m], "USD"));
    }

    [Fact]
    public void Unrounded_amount_is_refused() =>
        Assert.Throws<ArgumentException>(() => SplitAllocator.Allocate(0.005m, [0.5m, 0.5m], "USD"));

    [Property]
    public bool Shares_sum_to_the_amount_to_the_minor_unit(int cents, PositiveInt[] weights, bool yen)
    {
        if (weights.Length == 0) return true;
        var currency = yen ? "JPY" : "USD";
        var amount = yen ? cents : cents / 100m;
        var total = weights.Sum(w => (decimal)w.Get);
        var fractions = weights.Select(w => w.Get / total).ToList();
        var shares = SplitAllocator.Allocate(amount, fractions, currency);
        return shares.Sum() == amount && shares.All(s => CurrencyMath.IsRounded(s, currency));
    }
}
