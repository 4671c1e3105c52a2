using System.Globalization;

namespace RulesBilling.Engine.Rating;

/// <summary>A quantity as explanations print it: invariant digits, no trailing zeros ("2.5", not "2.50").</summary>
internal static class QuantityText
{
    public static string Q(decimal value) => CurrencyMath.Normalize(value).ToString(CultureInfo.InvariantCulture);
}
