using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// Credits a charge line's rounded amount to dimension values. The line amount is first shared among its
/// outcomes (by exact percent amount, else by billed quantity) with <see cref="SplitAllocator"/>; each outcome's
/// share then goes to its dimension values and, for a split, is itself split by the split fractions.
/// For every dimension, the attributions sum to the line amount exactly.
/// </summary>
internal static class LineAttribution
{
    public static IReadOnlyList<Attribution> Compute(decimal lineAmount, ChargeResult charge, string currency)
    {
        if (charge.Outcomes.Count == 0) return [];
        var shares = OutcomeShares(lineAmount, charge.Outcomes, currency);

        var totals = new Dictionary<(string Dimension, string? Value), decimal>();
        void Add(string dimension, string? value, decimal amount) =>
            totals[(dimension, value)] = totals.GetValueOrDefault((dimension, value)) + amount;

        var dimensions = charge.Outcomes.SelectMany(o => o.Outcome.Dimensions.Keys).Distinct().ToList();
        for (var i = 0; i < charge.Outcomes.Count; i++)
        {
            var outcome = charge.Outcomes[i].Outcome;
            foreach (var dimension in dimensions)
                Add(dimension, outcome.Dimensions.GetValueOrDefault(dimension), shares[i]);
            if (outcome.Split.Count == 0) continue;
            var splitShares = SplitAllocator.Allocate(shares[i], outcome.Split.Select(s => s.Fraction).ToList(), currency);
            for (var s = 0; s < splitShares.Count; s++)
                Add(outcome.Split[s].Dimension, outcome.Split[s].Target, splitShares[s]);
        }

        return totals
            .Select(t => new Attribution(t.Key.Dimension, t.Key.Value, t.Value))
            .OrderBy(a => a.Dimension, StringComparer.Ordinal)
            .ThenBy(a => a.Value, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Outcomes that contributed nothing (free, zero quantity) get zero; the remainder goes to the first contributor.</summary>
    private static decimal[] OutcomeShares(decimal lineAmount, IReadOnlyList<OutcomeCharge> outcomes, string currency)
    {
        var weights = outcomes.Select(o => o.PercentAmount ?? o.BilledQuantity).ToArray();
        var contributors = Enumerable.Range(0, weights.Length).Where(i => weights[i] != 0m).ToList();
        if (weights.Where(w => w != 0m).Sum() == 0m)
        {
            // Nothing contributed (or contributions cancel out): share the line equally so it is still fully attributed.
            contributors = Enumerable.Range(0, weights.Length).ToList();
            Array.Fill(weights, 1m);
        }

        var shares = new decimal[weights.Length];
        var allocated = SplitAllocator.Allocate(lineAmount, contributors.Select(i => weights[i]).ToList(), currency);
        for (var k = 0; k < contributors.Count; k++) shares[contributors[k]] = allocated[k];
        return shares;
    }
}
