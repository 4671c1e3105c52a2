using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Rating;

/// <summary>Invariants of tier flat fees, graduated percent, fee plus percent and dynamic charges (docs/dsl-spec.md §9.5.1–§9.5.4).</summary>
public sealed class ChargeModelProperties
{
    private static TieredModel WithFlats(TierModeKind mode, decimal f1, decimal f2, decimal f3, bool whenUsed = false) =>
        new(mode,
        [
            new TierRule(100m, Price(1.00m), Price(f1)),
            new TierRule(1000m, Price(0.80m), Price(f2)),
            new TierRule(null, Price(0.50m), Price(f3)),
        ], whenUsed);

    private static GraduatedPercentModel LagoPercentTiers(bool whenUsed = false) =>
        new(
        [
            new PercentTierRule(Price(1000m), 0.01m, Price(200m)),
            new PercentTierRule(Price(10000m), 0.02m, Price(300m)),
            new PercentTierRule(null, 0.03m, Price(400m)),
        ], whenUsed);

    private static ChargeResult RateOne(ChargeModel model, decimal quantity, decimal? value = null, decimal free = 0m) =>
        ChargeCalculator.Rate(Charge("t", model, free: free), "USD", [Outcome("t", 1, quantity, value)]);

    [Property]
    public bool Graduated_with_flat_fees_is_monotone_in_quantity(NonNegativeInt a, NonNegativeInt b, byte f1, byte f2, byte f3)
    {
        var model = WithFlats(TierModeKind.Graduated, f1, f2, f3);
        var low = Math.Min(a.Get, b.Get) % 3000m;
        var high = Math.Max(a.Get, b.Get) % 3000m;
        if (low > high) (low, high) = (high, low);
        return RateOne(model, low).ExactAmount <= RateOne(model, high).ExactAmount;
    }

    [Property]
    public bool Tier_flat_fees_amount_is_the_sum_of_the_per_tier_items(NonNegativeInt quantity, byte f1, byte f2, byte f3, bool volume, bool whenUsed)
    {
        var model = WithFlats(volume ? TierModeKind.Volume : TierModeKind.Graduated, f1 + 1, f2, f3, whenUsed);
        var q = quantity.Get % 3000m;
        var result = RateOne(model, q);
        var items = result.Tiers.Sum(t => t.Quantity * t.UnitPrice) + result.Flats.Sum(f => f.Amount);
        // At zero units the first tier's flat fee is billed unless 'when used'; volume bills one tier's fee at most.
        var flatsOk = q == 0m
            ? result.Flats.Count == (whenUsed ? 0 : 1)
            : volume ? result.Flats.Count <= 1 : result.Flats.Count(f => f.From < q) == result.Flats.Count;
        return result.ExactAmount == items && flatsOk;
    }

    [Property]
    public bool Graduated_percent_equals_the_sum_of_its_tiers_and_is_monotone(NonNegativeInt a, NonNegativeInt b, bool whenUsed)
    {
        var v1 = Math.Min(a.Get, b.Get) % 20_000_00 / 100m;
        var v2 = Math.Max(a.Get, b.Get) % 20_000_00 / 100m;
        if (v1 > v2) (v1, v2) = (v2, v1);
        var model = LagoPercentTiers(whenUsed);

        static decimal Expected(decimal v, bool whenUsed)
        {
            var t1 = Math.Min(v, 1000m);
            var t2 = Math.Min(Math.Max(v - 1000m, 0m), 9000m);
            var t3 = Math.Max(v - 10000m, 0m);
            var flats = (v > 0m || !whenUsed ? 200m : 0m) + (v > 1000m ? 300m : 0m) + (v > 10000m ? 400m : 0m);
            return t1 * 0.01m + t2 * 0.02m + t3 * 0.03m + flats;
        }

        var low = RateOne(model, 1m, v1);
        var high = RateOne(model, 1m, v2);
        return low.ExactAmount == Expected(v1, whenUsed)
            && low.ExactAmount == low.Tiers.Sum(t => t.Quantity * t.UnitPrice) + low.Flats.Sum(f => f.Amount)
            && low.ExactAmount <= high.ExactAmount;
    }

    [Property]
    public bool Fee_plus_percent_is_always_within_min_and_max_per_outcome(PositiveInt[] values, byte feeCents, byte minCents, byte span, byte freeAmount)
    {
        var min = minCents / 100m;
        var max = min + span / 10m;
        var model = new PercentModel(0.029m, Price(min), Price(max), Price(feeCents / 100m), freeAmount == 0 ? null : Price(freeAmount));
        var outcomes = values.Take(30).Select((v, i) => Outcome("t", i + 1, 1m, v.Get % 100_000 / 100m)).ToList();

        var result = ChargeCalculator.Rate(Charge("t", model), "USD", outcomes);

        return result.Outcomes.All(o => o.Exempt ? o.PercentAmount == 0m : o.PercentAmount >= min && o.PercentAmount <= max)
            && result.ExactAmount == result.Outcomes.Sum(o => o.PercentAmount ?? 0m);
    }

    [Property]
    public bool Every_new_models_lines_steps_sum_to_the_line_amount(PositiveInt[] values, byte model, byte free, bool capped)
    {
        var chargeModel = (model % 6) switch
        {
            0 => (ChargeModel)WithFlats(TierModeKind.Graduated, 10m, 20m, 50m),
            1 => WithFlats(TierModeKind.Volume, 10m, 20m, 50m, whenUsed: true),
            2 => LagoPercentTiers(),
            3 => new PercentModel(0.029m, Price(0.50m), Price(25m), Price(0.30m), Price(1000m)),
            4 => new DynamicModel(false),
            _ => new DynamicModel(true, 1.2m),
        };
        var outcomes = values.Take(40).Select((v, i) => Outcome("t", i + 1, 1 + i % 3, v.Get % 500_000 / 1000m)).ToList();
        var plan = Plan([Charge("t", chargeModel, free: free % 5, cap: capped ? 300m : null)]);

        var invoice = Assemble(Segment(plan, outcomes));

        return invoice.Lines.All(line =>
            line.Breakdown.Count > 0
            && CurrencyMath.RoundHalfUp(line.Breakdown.Sum(s => s.Amount), "USD") == line.Amount
            && line.Breakdown.All(s => s.Quantity is not { } q || s.UnitPrice is not { } p || s.Kind == "percent" || q * p == s.Amount));
    }

    [Property]
    public bool Dynamic_is_the_sum_of_the_prices_carried(PositiveInt[] prices, bool perUnit)
    {
        var outcomes = prices.Take(30).Select((p, i) => Outcome("t", i + 1, 1 + i % 4, p.Get % 10_000 / 10_000m)).ToList();
        var result = ChargeCalculator.Rate(Charge("t", new DynamicModel(perUnit)), "USD", outcomes);
        return result.ExactAmount == outcomes.Sum(o => (perUnit ? o.Quantity : 1m) * o.Value!.Value);
    }
}
