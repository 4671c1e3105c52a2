using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Rating;

/// <summary>
/// Re-rates a tiered charge of a later segment from where the period's earlier segments left off (docs/dsl-spec.md
/// §10.5). Graduated: the segment's units fill positions (offset, offset + billed]. Volume: they are priced at the tier
/// their period-to-date position reaches (<c>tiers period</c>: the tier the whole period's units reach). Free units
/// and the charge cap stay per segment. Except with <c>tiers restart</c>, a tier whose flat fee an earlier segment of
/// the period billed does not bill it again (§9.5.1), whichever of carry and restart the segment bills.
/// </summary>
internal static class TierCarry
{
    /// <param name="charged">Where the tiers start whose flat fee the period's earlier segments billed.</param>
    /// <returns>The result to bill and, when it differs from a restart, a note saying why.</returns>
    public static (ChargeResult Result, string? Note) Apply(
        ChargeRule rule, string currency, ChargeResult restart, TierPosition mode, decimal offset, decimal periodUnits, IReadOnlySet<decimal> charged)
    {
        if (rule.Model is not TieredModel tiered || mode == TierPosition.Restart) return (restart, null);
        var (own, ownNote) = WithoutCharged(rule, currency, restart, charged);
        var billed = restart.BilledQuantity;
        var byPeriod = mode == TierPosition.Period && tiered.Mode == TierModeKind.Volume;
        if (billed == 0m || (offset == 0m && !byPeriod)) return (own, ownNote);

        var position = tiered.Mode == TierModeKind.Graduated ? offset + billed : byPeriod ? periodUnits : offset + billed;
        var (exact, parts) = tiered.Mode == TierModeKind.Graduated
            ? Graduated(tiered, currency, offset, billed)
            : Volume(tiered, currency, position, billed);
        var flats = ChargeCalculator.TierFlats(tiered, currency, position).Where(f => !charged.Contains(f.From)).ToList();
        var carried = Capped(rule, currency, restart with
        {
            Tiers = parts,
            UnitPrice = tiered.Mode == TierModeKind.Volume ? parts[0].UnitPrice : null,
            Flats = flats,
        }, exact + flats.Sum(f => f.Amount));
        // The default bills the lower of the two, so a mid-period change never costs more than a restart would.
        if (mode == TierPosition.Lower && carried.ExactAmount >= own.ExactAmount) return (own, ownNote);
        if (carried.ExactAmount == own.ExactAmount && carried.Tiers.SequenceEqual(own.Tiers) && carried.Flats.SequenceEqual(own.Flats)) return (own, ownNote);

        var note = byPeriod
            ? $"volume tier chosen by the period's {QuantityText.Q(periodUnits)} units (all segments)"
            : $"tier position carried from earlier in the period: units {QuantityText.Q(offset + 1m)}–{QuantityText.Q(offset + billed)}";
        return (carried, note);
    }

    /// <summary>The restart without the flat fees the period already billed; the very result when there are none.</summary>
    private static (ChargeResult, string?) WithoutCharged(ChargeRule rule, string currency, ChargeResult restart, IReadOnlySet<decimal> charged)
    {
        var dropped = restart.Flats.Where(f => charged.Contains(f.From)).ToList();
        if (dropped.Count == 0) return (restart, null);
        var result = Capped(rule, currency, restart with { Flats = restart.Flats.Except(dropped).ToList() }, restart.UncappedAmount - dropped.Sum(f => f.Amount));
        return (result, FlatNote(dropped, currency));
    }

    private static string FlatNote(IReadOnlyList<TierFlat> dropped, string currency) =>
        $"flat fee{(dropped.Count == 1 ? "" : "s")} of {string.Join(", ", dropped.Select(f => f.UpTo is { } up ? $"tier up to {QuantityText.Q(up)}" : $"tier over {QuantityText.Q(f.From)}"))} already billed earlier in the period";

    private static ChargeResult Capped(ChargeRule rule, string currency, ChargeResult result, decimal exact)
    {
        var capped = exact;
        var capApplied = false;
        if (rule.Cap is { } cap && capped > cap.In(currency))
        {
            capped = cap.In(currency);
            capApplied = true;
        }
        return result with { UncappedAmount = exact, ExactAmount = capped, Amount = CurrencyMath.RoundHalfUp(capped, currency), CapApplied = capApplied };
    }

    private static (decimal, IReadOnlyList<TierPart>) Graduated(TieredModel model, string currency, decimal offset, decimal billed)
    {
        var parts = new List<TierPart>();
        var exact = 0m;
        var lower = 0m;
        var end = offset + billed;
        foreach (var tier in model.Tiers)
        {
            var from = Math.Max(lower, offset);
            var to = tier.UpTo is { } upper ? Math.Min(upper, end) : end;
            if (to > from)
            {
                var price = tier.Price.In(currency);
                var amount = (to - from) * price;
                exact += amount;
                parts.Add(new TierPart(from, tier.UpTo, to - from, price, CurrencyMath.RoundHalfUp(amount, currency)));
            }
            if (tier.UpTo is not { } next || next >= end) break;
            lower = next;
        }
        return (exact, parts);
    }

    private static (decimal, IReadOnlyList<TierPart>) Volume(TieredModel model, string currency, decimal position, decimal billed)
    {
        var lower = 0m;
        foreach (var tier in model.Tiers)
        {
            if (tier.UpTo is null || position <= tier.UpTo.Value)
            {
                var price = tier.Price.In(currency);
                return (billed * price, [new TierPart(lower, tier.UpTo, billed, price, CurrencyMath.RoundHalfUp(billed * price, currency))]);
            }
            lower = tier.UpTo.Value;
        }
        throw new InvalidOperationException("volume tiers must end with 'rest'; the checker should have refused this rule set");
    }
}
