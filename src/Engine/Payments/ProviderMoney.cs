using System.Collections.Frozen;
using System.Globalization;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Converts invoice amounts (decimal, in major units) to the integer minor units each provider expects, and back.
/// The exponent comes from ISO 4217 (<see cref="Currencies.MinorUnits"/>) adjusted by the provider's own rules;
/// a conversion that would drop a digit is refused, never rounded, because the provider's total must equal ours.
/// </summary>
public static class ProviderMoney
{
    // Stripe sends these as-is (no minor unit), even where ISO 4217 gives them one (MGA has 2 in ISO 4217).
    private static readonly FrozenSet<string> StripeZeroDecimal = new[]
    {
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Stripe keeps ISK on a two-decimal scale for backwards compatibility, but only whole krónur are chargeable.
    private const string StripeIsk = "ISK";

    /// <summary>The number of decimal digits one provider minor unit stands for, e.g. USD 2, JPY 0, KWD 3.</summary>
    /// <exception cref="PaymentException">Unknown currency (permanent).</exception>
    public static int Exponent(string currency, PaymentProvider provider)
    {
        var iso = IsoMinorUnits(currency);
        return provider switch
        {
            PaymentProvider.Stripe when StripeZeroDecimal.Contains(currency) => 0,
            PaymentProvider.Stripe when currency == StripeIsk => 2,
            _ => iso,
        };
    }

    /// <summary>
    /// <paramref name="amount"/> in the provider's integer minor units. Refuses (permanent failure) amounts with
    /// more digits than the provider accepts: Stripe zero-decimal currencies need whole units, ISK whole krónur,
    /// and three-decimal currencies (KWD, BHD, JOD, OMR, TND, ...) must end in 0 on Stripe and Razorpay.
    /// </summary>
    public static long ToMinorUnits(decimal amount, string currency, PaymentProvider provider)
    {
        var exponent = Exponent(currency, provider);
        var scaled = amount * Pow10(exponent);
        if (scaled != decimal.Truncate(scaled))
        {
            throw Lossy(amount, currency, provider, $"{provider} takes {currency} with {exponent} decimal digit(s)");
        }
        if (exponent == 3 && scaled % 10m != 0m)
        {
            throw Lossy(amount, currency, provider, $"{provider} takes three-decimal currencies in thousandths ending in 0");
        }
        if (provider == PaymentProvider.Stripe && currency == StripeIsk && scaled % 100m != 0m)
        {
            throw Lossy(amount, currency, provider, "Stripe charges ISK in whole krónur only");
        }
        if (scaled is > long.MaxValue or < long.MinValue)
        {
            throw new PaymentException($"{Show(amount)} {currency} is too large to send to {provider}", FailureKind.Permanent);
        }
        return (long)scaled;
    }

    /// <summary>The decimal amount that <paramref name="minor"/> provider minor units stand for.</summary>
    public static decimal FromMinorUnits(long minor, string currency, PaymentProvider provider) =>
        minor / Pow10(Exponent(currency, provider));

    private static int IsoMinorUnits(string currency)
    {
        try
        {
            return Currencies.MinorUnits(currency);
        }
        catch (ArgumentException e)
        {
            throw new PaymentException(e.Message, FailureKind.Permanent, e);
        }
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++) result *= 10m;
        return result;
    }

    private static PaymentException Lossy(decimal amount, string currency, PaymentProvider provider, string rule) =>
        new($"cannot send {Show(amount)} {currency} to {provider} without losing precision: {rule}", FailureKind.Permanent);

    private static string Show(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);
}
