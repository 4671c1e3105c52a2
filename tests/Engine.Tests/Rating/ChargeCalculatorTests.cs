using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Rating;

public sealed class ChargeCalculatorTests
{
    private static ChargeResult Rate(ChargeRule rule, IReadOnlyList<OutcomeInstance> outcomes, string currency = "USD") =>
        ChargeCalculator.Rate(rule, currency, outcomes);

    [Fact]
    public void Unit_price_times_quantity()
    {
        // 42 outcomes × 0.50 = 21.00
        var result = Rate(Charge("resolved", Unit(0.50m)), Many("resolved", 42));
        Assert.Equal(42m, result.Quantity);
        Assert.Equal(42m, result.BilledQuantity);
        Assert.Equal(21.00m, result.Amount);
        Assert.Equal(0.50m, result.UnitPrice);
        Assert.Empty(result.Tiers);
    }

    [Fact]
    public void Quantity_is_the_sum_of_outcome_quantities()
    {
        // 3 outcomes × 2.5 units = 7.5 units × 1.20 = 9.00
        var result = Rate(Charge("minutes", Unit(1.20m)), Many("minutes", 3, 2.5m));
        Assert.Equal(7.5m, result.Quantity);
        Assert.Equal(9.00m, result.Amount);
    }

    [Theory]
    // Tiers: (0,100] at 0.10; (100,1000] at 0.08; rest at 0.05.
    [InlineData(100, "10.00", 1)]   // exactly on the first bound: all 100 in tier 1 → 100 × 0.10
    [InlineData(101, "10.08", 2)]   // one above: 10.00 + 1 × 0.08
    [InlineData(1000, "82.00", 2)]  // 10.00 + 900 × 0.08 = 10 + 72
    [InlineData(1001, "82.05", 3)]  // 82.00 + 1 × 0.05
    [InlineData(1, "0.10", 1)]
    public void Graduated_boundary_stays_in_the_lower_tier(int quantity, string expected, int parts)
    {
        var result = Rate(Charge("tokens", Graduated(StandardTiers)), [Outcome("tokens", 1, quantity)]);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Amount);
        Assert.Equal(parts, result.Tiers.Count);
        Assert.Equal(quantity, result.Tiers.Sum(t => t.Quantity));
        Assert.Null(result.UnitPrice);
    }

    [Fact]
    public void Graduated_tier_parts_explain_the_line()
    {
        // 1001 = 100 in (0,100] + 900 in (100,1000] + 1 in (1000,∞)
        var result = Rate(Charge("tokens", Graduated(StandardTiers)), [Outcome("tokens", 1, 1001m)]);
        Assert.Equal(
            [new(0m, 100m, 100m, 0.10m, 10.00m), new(100m, 1000m, 900m, 0.08m, 72.00m), new(1000m, null, 1m, 0.05m, 0.05m)],
            result.Tiers);
    }

    [Theory]
    [InlineData(100, "10.00", "0.10")]  // q ≤ 100: whole quantity at 0.10
    [InlineData(101, "8.08", "0.08")]   // 101 × 0.08 (volume: cheaper for all units)
    [InlineData(1000, "80.00", "0.08")] // 1000 × 0.08, exactly on the bound
    [InlineData(1001, "50.05", "0.05")] // 1001 × 0.05
    public void Volume_prices_the_whole_quantity_at_one_tier(int quantity, string expected, string unitPrice)
    {
        var result = Rate(Charge("tokens", Volume(StandardTiers)), [Outcome("tokens", 1, quantity)]);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Amount);
        Assert.Equal(decimal.Parse(unitPrice, System.Globalization.CultureInfo.InvariantCulture), result.UnitPrice);
        var part = Assert.Single(result.Tiers);
        Assert.Equal(quantity, part.Quantity);
    }

    [Fact]
    public void Zero_usage_is_zero_for_every_model()
    {
        ChargeModel[] models =
        [
            Unit(0.50m), Graduated(StandardTiers), Volume(StandardTiers),
            new PackageModel(100m, Price(5m), RoundUp: true), new PercentModel(0.1m, Price(1m), null),
        ];
        foreach (var model in models)
        {
            var result = Rate(Charge("x", model), []);
            Assert.Equal(0m, result.Quantity);
            Assert.Equal(0m, result.Amount);
            Assert.Empty(result.Tiers);
        }
    }

    [Theory]
    [InlineData(250, true, "15.00", 3)]   // ceil(250/100) = 3 packages × 5.00
    [InlineData(250, false, "10.00", 2)]  // floor(250/100) = 2 × 5.00
    [InlineData(200, true, "10.00", 2)]   // exact multiple: 2 either way
    [InlineData(200, false, "10.00", 2)]
    [InlineData(1, true, "5.00", 1)]      // a single unit buys a whole package
    [InlineData(99, false, "0.00", 0)]
    public void Package_rounds_up_or_down(int quantity, bool roundUp, string expected, int packages)
    {
        var result = Rate(Charge("calls", new PackageModel(100m, Price(5.00m), roundUp)), [Outcome("calls", 1, quantity)]);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Amount);
        Assert.Equal(packages, result.Packages);
    }

    [Fact]
    public void Percent_clamps_each_outcome_to_min_and_max()
    {
        // 2% of 10.00 = 0.20 → min 0.50; 2% of 100.00 = 2.00; 2% of 1000.00 = 20.00 → max 10.00.
        // Σ = 0.50 + 2.00 + 10.00 = 12.50
        var rule = Charge("sale", new PercentModel(0.02m, Price(0.50m), Price(10.00m)));
        var result = Rate(rule, [Outcome("sale", 1, value: 10m), Outcome("sale", 2, value: 100m), Outcome("sale", 3, value: 1000m)]);
        Assert.Equal(12.50m, result.Amount);
        Assert.Equal([0.50m, 2.00m, 10.00m], result.Outcomes.Select(o => o.PercentAmount!.Value));
        Assert.Null(result.UnitPrice);
    }

    [Fact]
    public void Percent_rounds_once_from_the_exact_sum()
    {
        // 1.5% of 0.30 = 0.0045 three times: Σ exact 0.0135 → 0.01 (per-outcome rounding would give 0.00 × 3 = 0.00)
        var rule = Charge("sale", new PercentModel(0.015m, null, null));
        var result = Rate(rule, [Outcome("sale", 1, value: 0.30m), Outcome("sale", 2, value: 0.30m), Outcome("sale", 3, value: 0.30m)]);
        Assert.Equal(0.0135m, result.ExactAmount);
        Assert.Equal(0.01m, result.Amount);
    }

    [Fact]
    public void Free_units_come_off_the_quantity_in_billing_order()
    {
        // 25 outcomes, free 10 → billed 15 × 0.50 = 7.50; the first 10 (by BillableAt) bill nothing.
        var outcomes = Many("resolved", 25);
        outcomes.Reverse(); // input order must not matter
        var result = Rate(Charge("resolved", Unit(0.50m), free: 10m), outcomes);
        Assert.Equal(25m, result.Quantity);
        Assert.Equal(10m, result.FreeQuantity);
        Assert.Equal(15m, result.BilledQuantity);
        Assert.Equal(7.50m, result.Amount);
        Assert.Equal("e0001", result.Outcomes[0].Outcome.EventId);
        Assert.All(result.Outcomes.Take(10), o => Assert.Equal(0m, o.BilledQuantity));
        Assert.All(result.Outcomes.Skip(10), o => Assert.Equal(1m, o.BilledQuantity));
    }

    [Fact]
    public void Free_units_can_cover_part_of_an_outcome()
    {
        // quantities 3, 3, 3 with free 4 → billed 0, 2, 3 = 5 × 1.00 = 5.00
        var result = Rate(Charge("m", Unit(1m), free: 4m), Many("m", 3, 3m));
        Assert.Equal([0m, 2m, 3m], result.Outcomes.Select(o => o.BilledQuantity));
        Assert.Equal(5.00m, result.Amount);
    }

    [Fact]
    public void Free_units_apply_before_tiers()
    {
        // 150 units, free 50 → 100 billed, all in the first tier: 100 × 0.10 = 10.00
        var result = Rate(Charge("t", Graduated(StandardTiers), free: 50m), [Outcome("t", 1, 150m)]);
        Assert.Equal(10.00m, result.Amount);
        Assert.Single(result.Tiers);
    }

    [Fact]
    public void Percent_free_exempts_the_first_outcomes()
    {
        // 10% of value, free 1: first outcome (value 100) is free; second: 10% of 200 = 20.00
        var rule = Charge("sale", new PercentModel(0.10m, null, null), free: 1m);
        var result = Rate(rule, [Outcome("sale", 2, value: 200m), Outcome("sale", 1, value: 100m)]);
        Assert.Equal(20.00m, result.Amount);
        Assert.Equal(1m, result.FreeQuantity);
        Assert.Equal([0m, 20m], result.Outcomes.Select(o => o.PercentAmount!.Value));
    }

    [Fact]
    public void Charge_cap_limits_the_amount()
    {
        // 30 × 1.00 = 30.00 > cap 25.00 → 25.00
        var result = Rate(Charge("r", Unit(1m), cap: 25m), Many("r", 30));
        Assert.True(result.CapApplied);
        Assert.Equal(30m, result.UncappedAmount);
        Assert.Equal(25.00m, result.Amount);
    }

    [Fact]
    public void Charge_cap_not_reached_leaves_the_amount()
    {
        // 20 × 1.00 = 20.00 ≤ 25.00
        var result = Rate(Charge("r", Unit(1m), cap: 25m), Many("r", 20));
        Assert.False(result.CapApplied);
        Assert.Equal(20.00m, result.Amount);
    }

    [Fact]
    public void Yen_rounds_to_whole_yen()
    {
        // 3 × 0.5 JPY = 1.5 → 2 JPY (half-up)
        var result = Rate(Charge("r", Unit(0.5m, "JPY"), currency: "JPY"), Many("r", 3), "JPY");
        Assert.Equal(1.5m, result.ExactAmount);
        Assert.Equal(2m, result.Amount);
    }

    [Fact]
    public void Dinar_rounds_to_three_decimals()
    {
        // 3 × 0.0125 KWD = 0.0375 → 0.038 (half-up at 3 digits)
        var result = Rate(Charge("r", Unit(0.0125m, "KWD"), currency: "KWD"), Many("r", 3), "KWD");
        Assert.Equal(0.038m, result.Amount);
    }

    [Fact]
    public void Line_is_rounded_once_not_per_tier()
    {
        // three tiers of 1 unit at 0.005: each part 0.005 → 0.01 shown, but the line is round(0.015) = 0.02, not 0.03
        var rule = Charge("t", Graduated((1m, 0.005m), (2m, 0.005m), (null, 0.005m)));
        var result = Rate(rule, [Outcome("t", 1, 3m)]);
        Assert.Equal([0.01m, 0.01m, 0.01m], result.Tiers.Select(t => t.Amount));
        Assert.Equal(0.02m, result.Amount);
    }

    [Fact]
    public void Negative_quantity_is_a_rating_error()
    {
        var error = Assert.Throws<RuleEvaluationException>(() => Rate(Charge("r", Unit(1m)), [Outcome("r", 1, -1m)]));
        Assert.Equal("RB0903", error.Code);
    }

    [Fact]
    public void Percent_without_value_is_a_rating_error()
    {
        var error = Assert.Throws<RuleEvaluationException>(() => Rate(Charge("s", new PercentModel(0.1m, null, null)), [Outcome("s", 1)]));
        Assert.Equal("RB0304", error.Code);
    }

    [Fact]
    public void Percent_of_a_value_in_another_currency_is_a_rating_error()
    {
        var error = Assert.Throws<RuleEvaluationException>(() =>
            Rate(Charge("s", new PercentModel(0.1m, null, null)), [Outcome("s", 1, value: 10m, valueCurrency: "EUR")]));
        Assert.Equal("RB0202", error.Code);
    }

    [Fact]
    public void Overflow_is_a_rating_error()
    {
        var error = Assert.Throws<RuleEvaluationException>(() => Rate(Charge("r", Unit(decimal.MaxValue)), Many("r", 2)));
        Assert.Equal("RB0902", error.Code);
    }
}
