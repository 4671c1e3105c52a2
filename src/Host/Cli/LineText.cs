using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Host.Cli;

/// <summary>The explanation lines shared by the table, the REPL and <c>explain</c>: a line's arithmetic and its rounding.</summary>
internal static class LineText
{
    /// <summary>True when the line's one row (quantity × unit price = amount) says all there is.</summary>
    public static bool SaysItAll(InvoiceLine line) =>
        line.Breakdown.Count == 0
        || line.Breakdown is [var only] && only.Quantity == line.Quantity && only.UnitPrice == line.UnitPrice && only.Amount == line.Amount;

    /// <summary>The steps of the arithmetic, then the rounding when the exact sum has more digits than the currency.</summary>
    public static IEnumerable<string> Steps(InvoiceLine line, string currency)
    {
        foreach (var step in line.Breakdown) yield return step.Text;
        if (line.Breakdown.Count == 0) yield break;
        var exact = line.Breakdown.Sum(s => s.Amount);
        if (exact != line.Amount)
            yield return $"{Exact(exact, currency)} {currency} rounded half-up to {CurrencyMath.Format(line.Amount, currency)} {currency}";
        else if (line.Breakdown.Count > 1)
            yield return $"total {CurrencyMath.Format(line.Amount, currency)} {currency}";
    }

    /// <summary>Exact, or ≈ rounded at four digits beyond the currency's when a proration left more (as the steps show it).</summary>
    private static string Exact(decimal amount, string currency)
    {
        var shown = Math.Round(amount, CurrencyMath.MinorUnits(currency) + 4, MidpointRounding.AwayFromZero);
        return (shown == amount ? "" : "≈") + CurrencyMath.FormatPrice(shown, currency);
    }

    public static string Guard(GuardFinding guard) =>
        $"guard {guard.Label ?? guard.Guard} ({guard.Action}): {(guard.Triggered ? "TRIGGERED" : "not triggered")}; {guard.Detail}";
}
