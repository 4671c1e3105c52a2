using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Periods;

/// <summary>Invariants of docs/dsl-spec.md §10.5 (tier position), §10.7 (base in advance) and §9.13 (extends).</summary>
public sealed class PeriodProperties
{
    private static DateTimeOffset Day(int day) => Jan1.AddDays(day);

    [Property]
    public bool In_advance_proration_lines_sum_to_the_invoices_base_and_stay_within_a_cent_of_the_exact_change(
        NonNegativeInt oldCents, NonNegativeInt newCents, PositiveInt changeDay)
    {
        var (oldFee, newFee) = (oldCents.Get % 1_000_000 / 100m, newCents.Get % 1_000_000 / 100m);
        var change = 1 + changeDay.Get % 30; // Jan 2 .. Jan 31
        var v1 = Plan([], baseFee: oldFee) with { BaseInAdvance = true };
        var v2 = Plan([], baseFee: newFee) with { BaseInAdvance = true };
        var invoice = Assemble(
            Segment(v1, [], Jan1, Day(change), Version(1, new DateOnly(2026, 1, 1))),
            Segment(v2, [], Day(change), Feb1, Version(2, DateOnly.FromDateTime(Day(change).UtcDateTime))));

        var rest = (31m - change) / 31m;
        var lines = invoice.Lines;
        var net = lines.Skip(1).Sum(l => l.Amount);
        return lines.Count == 3
            && lines[0].Amount == oldFee
            && lines[1].Amount == CurrencyMath.RoundHalfUp(-(oldFee * (31 - change) / 31m), "USD")
            && lines[2].Amount == CurrencyMath.RoundHalfUp(newFee * (31 - change) / 31m, "USD")
            && invoice.Subtotal == lines.Sum(l => l.Amount)
            && Math.Abs(net - (newFee - oldFee) * rest) <= 0.01m
            && lines.All(l => l.Amount == CurrencyMath.RoundHalfUp(l.Breakdown.Sum(s => s.Amount), "USD"));
    }

    /// <summary>Random graduated tiers with non-increasing prices (a volume discount), and a pointwise cut of them.</summary>
    private static (TieredModel Before, TieredModel After) Tiers(byte[] steps, byte cut, bool graduated)
    {
        var bounds = new List<(decimal?, decimal)>();
        decimal bound = 0m, price = 1.00m;
        foreach (var step in steps.Take(4))
        {
            bound += 1 + step;
            price = Math.Max(0.01m, price - step % 7 / 100m);
            bounds.Add((bound, price));
        }
        bounds.Add((null, Math.Max(0.01m, price - 0.05m)));
        var factor = 1m - cut % 90 / 100m; // 0.11 .. 1.00 of the old price
        var mode = graduated ? TierModeKind.Graduated : TierModeKind.Volume;
        return (Tiered(mode, "USD", bounds.ToArray()), Tiered(mode, "USD", bounds.Select(b => (b.Item1, Math.Round(b.Item2 * factor, 4))).ToArray()));
    }

    private static decimal Total(TieredModel before, TieredModel after, int q1, int q2, TierPosition mode, bool split = true)
    {
        var first = Enumerable.Range(1, q1).Select(n => Outcome("r", n, at: Jan1.AddMinutes(n))).ToList();
        var second = Enumerable.Range(1, q2).Select(n => Outcome("r", 1000 + n, at: Day(14).AddMinutes(n))).ToList();
        if (!split) return Assemble(Segment(Plan([Charge("r", before)]), [.. first, .. second], Jan1, Feb1)).Subtotal;
        return Assemble(
            Segment(Plan([Charge("r", before)]), first, Jan1, Day(14), Version(1, new DateOnly(2026, 1, 1)) with { Tiers = mode }),
            Segment(Plan([Charge("r", after)]), second, Day(14), Feb1, Version(2, new DateOnly(2026, 1, 15)) with { Tiers = mode })).Subtotal;
    }

    [Property(MaxTest = 60)]
    public bool By_default_a_graduated_price_cut_mid_period_never_costs_more_than_no_cut_nor_than_restarting(byte[] steps, byte cut, byte a, byte b)
    {
        var (before, after) = Tiers(steps, cut, graduated: true);
        var (q1, q2) = (a % 60, b % 60);
        var byDefault = Total(before, after, q1, q2, TierPosition.Lower);
        return byDefault <= Total(before, after, q1, q2, TierPosition.Lower, split: false) + 0.01m
            && byDefault <= Total(before, after, q1, q2, TierPosition.Restart);
    }

    [Property(MaxTest = 60)]
    public bool With_non_increasing_tier_prices_carrying_never_costs_more_than_restarting(byte[] steps, byte cut, byte a, byte b, bool graduated)
    {
        var (before, after) = Tiers(steps, cut, graduated);
        var (q1, q2) = (a % 60, b % 60);
        return Total(before, after, q1, q2, TierPosition.Carry) <= Total(before, after, q1, q2, TierPosition.Restart);
    }
}
