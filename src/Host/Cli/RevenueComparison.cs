using RulesBilling.Engine.Billing;

namespace RulesBilling.Host.Cli;

/// <summary>Revenue per customer and currency under two rule sets, for a pricing change dry run.</summary>
internal sealed record RevenueComparison(IReadOnlyList<RevenueComparisonRow> Rows)
{
    public static RevenueComparison Between(SimulationResult baseline, SimulationResult candidate)
    {
        var before = Totals(baseline);
        var after = Totals(candidate);
        var rows = before.Keys.Union(after.Keys)
            .OrderBy(k => k.Customer, StringComparer.Ordinal).ThenBy(k => k.Currency, StringComparer.Ordinal)
            .Select(k =>
            {
                var a = before.GetValueOrDefault(k);
                var b = after.GetValueOrDefault(k);
                return new RevenueComparisonRow(k.Customer, k.Currency, a, b, b - a);
            })
            .ToList();
        return new RevenueComparison(rows);
    }

    private static Dictionary<(string Customer, string Currency), decimal> Totals(SimulationResult result) =>
        result.Invoices
            .GroupBy(i => (i.Customer, i.Currency))
            .ToDictionary(g => g.Key, g => g.Sum(i => i.Total));
}

internal sealed record RevenueComparisonRow(string Customer, string Currency, decimal Baseline, decimal Candidate, decimal Difference);
