using System.Globalization;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine.Rating;

/// <summary>
/// Money at ISO 4217 precision: minor units per currency, half-up rounding, exact formatting and
/// minor-unit conversion. Every operation that would silently drop digits refuses instead.
/// </summary>
public static class CurrencyMath
{
    /// <summary>Number of minor-unit digits of an ISO 4217 code (JPY 0, USD 2, KWD 3); unknown codes are refused.</summary>
    public static int MinorUnits(string currency) => Currencies.MinorUnits(currency);

    /// <summary>Rounds half away from zero to the currency's minor units.</summary>
    public static decimal RoundHalfUp(decimal amount, string currency) =>
        WithoutNegativeZero(Math.Round(amount, MinorUnits(currency), MidpointRounding.AwayFromZero));

    /// <summary>True when the amount has no digits beyond the currency's minor units.</summary>
    public static bool IsRounded(decimal amount, string currency) =>
        Math.Round(amount, MinorUnits(currency), MidpointRounding.AwayFromZero) == amount;

    /// <summary>Invariant text with exactly the currency's minor digits: "12.30" USD, "1200" JPY, "1.250" KWD.</summary>
    public static string Format(decimal amount, string currency)
    {
        var digits = MinorUnits(currency);
        if (!IsRounded(amount, currency))
            throw new ArgumentException(
                $"{amount.ToString(CultureInfo.InvariantCulture)} {currency} has more than {digits} decimal places; round it before formatting",
                nameof(amount));
        return WithoutNegativeZero(amount).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A unit price as text: at least the currency's minor digits, more when the price has them
    /// ("0.50", "0.0025" in USD), so sub-cent prices are shown exactly.
    /// </summary>
    public static string FormatPrice(decimal price, string currency)
    {
        var digits = Math.Max(MinorUnits(currency), Scale(Normalize(price)));
        return WithoutNegativeZero(price).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>The amount as an integer count of minor units (12.30 USD → 1230); refuses amounts that do not convert exactly.</summary>
    public static long ToMinorUnits(decimal amount, string currency)
    {
        var digits = MinorUnits(currency);
        if (!IsRounded(amount, currency))
            throw new ArgumentException(
                $"{amount.ToString(CultureInfo.InvariantCulture)} {currency} cannot be expressed in whole minor units ({digits} decimal places) without loss",
                nameof(amount));
        var scaled = amount;
        for (var i = 0; i < digits; i++) scaled *= 10m;
        if (scaled > long.MaxValue || scaled < long.MinValue)
            throw new ArgumentException(
                $"{amount.ToString(CultureInfo.InvariantCulture)} {currency} is too large for a 64-bit count of minor units", nameof(amount));
        return (long)scaled;
    }

    /// <summary>Removes trailing fractional zeros (1.500 → 1.5) so quantities print the same however they were computed.</summary>
    public static decimal Normalize(decimal value) => WithoutNegativeZero(value / 1.0000000000000000000000000000m);

    private static int Scale(decimal value) => (decimal.GetBits(value)[3] >> 16) & 0xFF;

    private static decimal WithoutNegativeZero(decimal value) => value == 0m ? 0m : value;
}
