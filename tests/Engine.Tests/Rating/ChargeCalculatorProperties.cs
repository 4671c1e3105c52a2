using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Rating;

public sealed class ChargeCalculatorProperties
{
    private static ChargeResult Tiered(bool graduated, decimal quantity) =>
        ChargeCalculator.Rate(
            Charge("t", graduated ? Graduated(StandardTiers) : Volume(StandardTiers)), "USD", [Outcome("t", 1, quantity)]);

    [Property]
    public bool Graduated_total_is_monotone_in_quantity(NonNegativeInt a, NonNegativeInt b, byte hundredths)
    {
        var low = Math.Min(a.Get, b.Get) % 5000 + hundredths / 100m;
        var high = Math.Max(a.Get, b.Get) % 5000 + hundredths / 100m + (a.Get == b.Get ? 0m : 0.5m);
        return Tiered(true, low).ExactAmount <= Tiered(true, Math.Max(low, high)).ExactAmount;
    }

    [Property]
    public bool Graduated_total_equals_the_sum_of_tier_parts(NonNegativeInt quantity)
    {
        var result = Tiered(true, quantity.Get % 5000);
        return result.ExactAmount == result.Tiers.Sum(t => t.Quantity * t.UnitPrice)
            && result.Tiers.Sum(t => t.Quantity) == quantity.Get % 5000;
    }

    [Property]
    public bool Volume_equals_graduated_inside_the_first_tier(NonNegativeInt quantity)
    {
        var q = quantity.Get % 101; // 0..100: all inside (0, 100]
        return Tiered(false, q).Amount == Tiered(true, q).Amount;
    }
}
