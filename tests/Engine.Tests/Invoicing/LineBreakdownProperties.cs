using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Invoicing;

/// <summary>A line's breakdown is arithmetic that adds up (docs/dsl-spec.md §9.11): Σ exact steps, rounded once, is the amount.</summary>
public sealed class LineBreakdownProperties
{
    private static PricingPlan AnyPlan(int model, decimal price, decimal free, decimal? cap) => Plan(
        [
            Charge("job", model switch
            {
                0 => Unit(price),
                1 => Graduated((10m, price), (100m, price / 3m), (null, price / 7m)),
                2 => Volume((10m, price), (100m, price / 3m), (null, price / 7m)),
                3 => new PackageModel(7m, Price(price), RoundUp: true),
                _ => new PercentModel(0.025m, Price(price / 10m), Price(price * 5m)),
            }, free: free, cap: cap),
        ],
        baseFee: price * 9m, minimum: price * 40m, cap: price * 400m);

    [Property]
    public bool Every_lines_steps_sum_to_its_amount(byte count, PositiveInt priceMills, byte model, byte free, bool capped, bool prorated)
    {
        var price = priceMills.Get % 100_000 / 1000m + 0.001m;
        var plan = AnyPlan(model % 5, price, free % 20, capped ? price * 3m : null);
        var outcomes = Enumerable.Range(1, count).Select(n => Outcome("job", n, quantity: 1 + n % 3, value: n * 7.31m, at: Jan1.AddDays(10).AddMinutes(n))).ToList();
        var invoice = Assemble(Segment(plan, outcomes, from: prorated ? Jan1.AddDays(9) : null));
        return invoice.Lines.All(line =>
            line.Breakdown.Count > 0
            && CurrencyMath.RoundHalfUp(line.Breakdown.Sum(s => s.Amount), "USD") == line.Amount
            && line.Breakdown.All(s => s.Quantity is not { } q || s.UnitPrice is not { } p || s.Kind == "percent" || q * p == s.Amount));
    }

    [Fact]
    public void Free_units_then_the_unit_price_read_as_the_amount()
    {
        var invoice = Assemble(Segment(Plan([Charge("job", Unit(1.20m), free: 10m)]), Many("job", 16)));
        var line = Assert.Single(invoice.Lines);
        Assert.Equal(7.20m, line.Amount);
        Assert.Equal(
            [
                new LineStep("free", "10 of 16 units free (10 included)", 10m, null, 0m),
                new LineStep("unit", "6 × 1.20 USD = 7.20 USD", 6m, 1.20m, 7.20m),
            ],
            line.Breakdown);
        Assert.Equal("Job", line.Description);
    }

    [Fact]
    public void A_single_free_unit_is_singular()
    {
        var invoice = Assemble(Segment(Plan([Charge("job", Unit(1.20m), free: 10m)]), Many("job", 1)));
        Assert.Equal("1 of 1 unit free (10 included)", Assert.Single(invoice.Lines).Breakdown[0].Text);
    }

    [Fact]
    public void A_charge_cap_is_a_negative_step()
    {
        var invoice = Assemble(Segment(Plan([Charge("job", Unit(2m), cap: 15m)]), Many("job", 10)));
        var line = Assert.Single(invoice.Lines);
        Assert.Equal(15.00m, line.Amount);
        Assert.Equal(["10 × 2.00 USD = 20.00 USD", "charge cap 15.00 USD: -5.00 USD"], line.Breakdown.Select(s => s.Text));
    }

    [Fact]
    public void Percent_clamps_are_shown_per_direction()
    {
        var plan = Plan([Charge("job", new PercentModel(0.10m, Price(1m), Price(5m)))]);
        // values 5, 20, 100 → 0.50 raised to 1, 2 as is, 10 lowered to 5 → 8.00
        var outcomes = new[] { 5m, 20m, 100m }.Select((v, i) => Outcome("job", i + 1, value: v)).ToList();
        var line = Assert.Single(Assemble(Segment(plan, outcomes)).Lines);
        Assert.Equal(8.00m, line.Amount);
        Assert.Equal(
            ["10% of 125.00 USD value = 12.50 USD", "minimum 1.00 USD per outcome, 1 outcome raised: +0.50 USD", "maximum 5.00 USD per outcome, 1 outcome lowered: -5.00 USD"],
            line.Breakdown.Select(s => s.Text));
    }
}
