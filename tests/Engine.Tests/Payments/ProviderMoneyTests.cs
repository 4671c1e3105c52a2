using FsCheck.Xunit;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Tests.Payments;

public sealed class ProviderMoneyTests
{
    [Theory]
    [InlineData("USD", "12.34", PaymentProvider.Stripe, 1234L)]
    [InlineData("JPY", "500", PaymentProvider.Stripe, 500L)]
    [InlineData("KWD", "12.340", PaymentProvider.Stripe, 12340L)]
    [InlineData("BHD", "-0.010", PaymentProvider.Stripe, -10L)]
    [InlineData("ISK", "5", PaymentProvider.Stripe, 500L)]
    [InlineData("MGA", "10", PaymentProvider.Stripe, 10L)]
    [InlineData("INR", "499.05", PaymentProvider.Razorpay, 49905L)]
    [InlineData("MGA", "10.50", PaymentProvider.Razorpay, 1050L)]
    [InlineData("OMR", "1.230", PaymentProvider.Razorpay, 1230L)]
    public void Converts_to_the_providers_minor_units(string currency, string amount, PaymentProvider provider, long expected)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, ProviderMoney.ToMinorUnits(value, currency, provider));
        Assert.Equal(value, ProviderMoney.FromMinorUnits(expected, currency, provider));
    }

    [Theory]
    [InlineData("JPY", "500.5", PaymentProvider.Stripe, "0 decimal digit")]
    [InlineData("KWD", "12.345", PaymentProvider.Stripe, "ending in 0")]
    [InlineData("KWD", "12.345", PaymentProvider.Razorpay, "ending in 0")]
    [InlineData("MGA", "10.50", PaymentProvider.Stripe, "0 decimal digit")]
    [InlineData("ISK", "5.5", PaymentProvider.Stripe, "whole kr")]
    [InlineData("USD", "0.001", PaymentProvider.Stripe, "2 decimal digit")]
    public void Refuses_a_lossy_conversion_with_a_clear_error(string currency, string amount, PaymentProvider provider, string reason)
    {
        var error = Assert.Throws<PaymentException>(() =>
            ProviderMoney.ToMinorUnits(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency, provider));
        Assert.Equal(FailureKind.Permanent, error.Kind);
        Assert.Contains("without losing precision", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Refuses_an_unknown_currency()
    {
        var error = Assert.Throws<PaymentException>(() => ProviderMoney.ToMinorUnits(1m, "XYZ", PaymentProvider.Stripe));
        Assert.Contains("'XYZ' is not a known ISO 4217 currency code", error.Message);
    }

    [Property]
    public bool Minor_units_round_trip_for_every_currency_and_provider(int minor, byte currencyIndex, bool stripe)
    {
        var currency = Dsl.Model.Currencies.Codes[currencyIndex % Dsl.Model.Currencies.Codes.Count];
        var provider = stripe ? PaymentProvider.Stripe : PaymentProvider.Razorpay;
        var exponent = ProviderMoney.Exponent(currency, provider);
        // Keep to what the provider can represent: three-decimal amounts end in 0, Stripe ISK in whole krónur.
        long value = exponent == 3 ? minor * 10L : provider == PaymentProvider.Stripe && currency == "ISK" ? minor * 100L : minor;
        return ProviderMoney.ToMinorUnits(ProviderMoney.FromMinorUnits(value, currency, provider), currency, provider) == value;
    }
}
