using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Rating;

/// <summary>
/// Re-rates a tiered charge of a later segment from where the period's earlier segments left off (docs/dsl-spec.md
/// §10.5). Graduated: the segment's units fill positions (offset, offset + billed]. Volume: they are priced at the tier
/// their period-to-date position reaches (<c>tiers period</c>: the tier the whole period's units reach). Free units
/// and the charge cap stay per segment.
/// </summary>
internal static class TierCarry
{
    /// <returns>The result to bill and, when it differs from a restart, a note saying why.</returns>
    public static (ChargeResult Result, string? Note) Apply(
        ChargeRule rule, string currency, ChargeResult restart, TierPosition mode, decimal offset, decimal periodUnits)
    {
        if (rule.Model is not TieredModel tiered || mode == TierPosition.Restart || restart.BilledQuantity == 0m) return (restart, null);
        var billed = restart.BilledQuantity;
        var byPeriod = mode == TierPosition.Period && tiered.Mode == TierModeKind.Volume;
        if (offset == 0m && !byPeriod) return (restart, null);

        var (exact, parts) = tiered.Mode == TierModeKind.Graduated
            ? Graduated(tiered, currency, offset, billed)
            : Volume(tiered, currency, byPeriod ? periodUnits : offset + billed, billed);
        var capped = exact;
        var capApplied = false;
        if (rule.Cap is { } cap && capped > cap.In(currency))
        {
            capped = cap.In(currency);
            capApplied = true;
        }
        var carried = restart with
        {
            UncappedAmount = exact,
            ExactAmount = capped,
            Amount = CurrencyMath.RoundHalfUp(capped, currency),
            Tiers = parts,
            UnitPrice = tiered.Mode == TierModeKind.Volume ? parts[0].UnitPrice : null,
            CapApplied = capApplied,
        };
        // The default bills the lower of the two, so a mid-period change never costs more than a restart would.
        if (mode == TierPosition.Lower && carried.ExactAmount >= restart.ExactAmount) return (restart, null);
        if (carried.ExactAmount == restart.ExactAmount && carried.Tiers.SequenceEqual(restart.Tiers)) return (restart, null);

        var note = byPeriod
            ? $"volume tier chosen by the period's {QuantityText.Q(periodUnits)} units (all segments)"
            : $"tier position carried from earlier in the period: units {QuantityText.Q(offset + 1m)}–{QuantityText.Q(offset + billed)}";
        return (carried, note);
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
