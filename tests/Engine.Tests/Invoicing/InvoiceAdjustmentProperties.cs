using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Invoicing;

/// <summary>The invariants of coupons and taxes (docs/dsl-spec.md §9.14, §9.15) over arbitrary invoices, coupons and rates.</summary>
public sealed class InvoiceAdjustmentProperties
{
    private static InvoiceRequest Scenario(int units, int priceMills, int baseCents, int[] couponBasisPoints, int[] fixedCents, int[] taxBasisPoints, bool inclusive, bool yen)
    {
        var currency = yen ? "JPY" : "USD";
        var scale = yen ? 1m : 100m;
        var plan = Plan([Charge("call", Tiered(TierModeKind.Graduated, currency, (50m, priceMills / 1000m), (null, priceMills / 3000m)), currency: currency)],
            baseFee: baseCents / scale, currency: currency);
        // Percentages from 0.01% to 100%, fixed amounts from one minor unit up.
        var coupons = couponBasisPoints.Select((bp, i) => Coupon($"p{i}", (1 + bp % 10_000) / 10_000m, null, currency))
            .Concat(fixedCents.Select((cents, i) => Coupon($"f{i}", null, (1 + cents % 100_000) / scale, currency)))
            .ToList();
        var taxes = taxBasisPoints.Select((bp, i) => new TaxRule($"t{i}", $"T{i}", bp % 5_000 / 10_000m, inclusive, null)).ToList();
        return Request(currency, Segment(plan, Many("call", units))) with { Coupons = coupons, Taxes = taxes };
    }

    private static ActiveCoupon Coupon(string name, decimal? percent, decimal? amount, string currency) =>
        new(new AttachedCoupon(new CouponRule(name, name, null, percent, amount is { } a ? Price(a, currency) : null, CouponDuration.Forever, 0),
            CouponDuration.Forever, 0, new DateOnly(2026, 1, 1), []), 1, null);

    [Property]
    public bool Total_is_the_sum_of_lines_and_each_tax_the_sum_of_its_per_line_amounts(
        byte units, PositiveInt priceMills, NonNegativeInt baseCents, NonNegativeInt[] percents, NonNegativeInt[] fixeds, NonNegativeInt[] rates, bool inclusive, bool yen)
    {
        var request = Scenario(units, priceMills.Get % 50_000, baseCents.Get % 1_000_000, percents.Take(3).Select(p => p.Get).ToArray(),
            fixeds.Take(3).Select(f => f.Get).ToArray(), rates.Take(3).Select(r => r.Get).ToArray(), inclusive, yen);
        var invoice = InvoiceAssembler.Assemble(request);
        var currency = request.Currency;
        var taxLines = invoice.Lines.Where(l => l.Kind == LineKind.Tax).ToList();
        var taxed = invoice.Lines.Where(l => l.Kind != LineKind.Tax).ToList();

        return invoice.Total == invoice.Lines.Sum(l => l.Amount)
            && invoice.Lines.All(l => CurrencyMath.IsRounded(l.Amount, currency) && l.Taxes.All(t => CurrencyMath.IsRounded(t.Amount, currency)))
            && invoice.Taxes.Select((t, i) => t.Amount == taxed.Sum(l => l.Taxes[i].Amount)).All(ok => ok)
            && (inclusive
                ? taxLines.Count == 0
                : taxLines.Select(l => l.Amount).SequenceEqual(invoice.Taxes.Select(t => t.Amount)))
            && (request.Taxes.Count > 0 || invoice.Lines.All(l => l.Taxes.Count == 0));
    }

    [Property]
    public bool Coupons_never_take_more_than_the_subtotal_and_never_make_it_negative(
        byte units, PositiveInt priceMills, NonNegativeInt baseCents, NonNegativeInt[] percents, NonNegativeInt[] fixeds, bool yen)
    {
        var request = Scenario(units, priceMills.Get % 50_000, baseCents.Get % 1_000_000, percents.Take(4).Select(p => p.Get).ToArray(),
            fixeds.Take(4).Select(f => f.Get).ToArray(), [], inclusive: false, yen);
        var invoice = InvoiceAssembler.Assemble(request);
        var usage = invoice.Lines.Where(l => l.Kind != LineKind.Coupon).Sum(l => l.Amount);
        var discounts = invoice.Lines.Where(l => l.Kind == LineKind.Coupon).Select(l => -l.Amount).ToList();

        // Each coupon takes between nothing and what is left; a percentage one at most its share of what is left.
        var left = usage;
        var ok = true;
        foreach (var (discount, coupon) in discounts.Zip(request.Coupons))
        {
            ok &= discount >= 0m && discount <= left;
            if (coupon.Attached.Coupon.Percent is { } p) ok &= discount <= CurrencyMath.RoundHalfUp(left * p, request.Currency);
            left -= discount;
        }
        return ok && discounts.Count == request.Coupons.Count && invoice.Total == left && invoice.Total >= 0m;
    }

    [Property]
    public bool An_exclusive_tax_grows_with_the_line_it_taxes(PositiveInt a, PositiveInt b, NonNegativeInt rate)
    {
        decimal Tax(int cents) => Assert.Single(InvoiceAssembler.Assemble(Request(Segment(Plan([], baseFee: cents / 100m))) with
        {
            Taxes = [new TaxRule("t", "T", rate.Get % 10_000 / 10_000m, false, null)],
        }).Taxes).Amount;

        var (low, high) = (Math.Min(a.Get, b.Get) % 10_000_000, Math.Max(a.Get, b.Get) % 10_000_000);
        return low > high || Tax(low) <= Tax(high);
    }
}
