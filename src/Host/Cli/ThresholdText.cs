using System.Globalization;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Host.Cli;

/// <summary>What a threshold invoice's title adds (docs/dsl-spec.md §10.9); nothing for any other document, so their text keeps its bytes.</summary>
internal static class ThresholdText
{
    public static string Title(Invoice invoice) => invoice.Threshold is { } threshold
        ? $" · threshold invoice: {string.Join(", ", threshold.Amounts.Select(a => CurrencyMath.Format(a, invoice.Currency)))} {invoice.Currency} reached at "
          + threshold.CrossedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
        : "";
}
