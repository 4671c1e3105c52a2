using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Tests.Rating;

public sealed class CurrencyMathTests
{
    [Theory]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("CLF", 4)]
    public void Minor_units_follow_iso_4217(string currency, int digits) =>
        Assert.Equal(digits, CurrencyMath.MinorUnits(currency));

    [Fact]
    public void Unknown_currency_is_refused_with_its_code_in_the_message()
    {
        var error = Assert.Throws<ArgumentException>(() => CurrencyMath.MinorUnits("ABC"));
        Assert.Contains("'ABC'", error.Message);
    }

    [Theory]
    [InlineData("2.345", "USD", "2.35")]   // midpoint rounds away from zero
    [InlineData("-2.345", "USD", "-2.35")]
    [InlineData("2.344", "USD", "2.34")]
    [InlineData("2.5", "JPY", "3")]
    [InlineData("1.5", "JPY", "2")]      // half-up, not banker's (which would give 2 here but 2 for 2.5 too)
    [InlineData("1.2345", "KWD", "1.235")]
    [InlineData("-0.004", "USD", "0.00")] // no negative zero
    public void Round_half_up_at_minor_units(string amount, string currency, string expected) =>
        Assert.Equal(expected, CurrencyMath.Format(CurrencyMath.RoundHalfUp(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency), currency));

    [Theory]
    [InlineData("12.3", "USD", "12.30")]
    [InlineData("1200", "JPY", "1200")]
    [InlineData("1.25", "KWD", "1.250")]
    [InlineData("-5", "USD", "-5.00")]
    [InlineData("0", "KWD", "0.000")]
    public void Format_writes_exactly_the_minor_digits(string amount, string currency, string expected) =>
        Assert.Equal(expected, CurrencyMath.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency));

    [Fact]
    public void Format_refuses_an_unrounded_amount() =>
        Assert.Throws<ArgumentException>(() => CurrencyMath.Format(1.005m, "USD"));

    [Fact]
    public void Format_price_keeps_sub_minor_digits()
    {
        Assert.Equal("0.0025", CurrencyMath.FormatPrice(0.0025m, "USD"));
        Assert.Equal("0.50", CurrencyMath.FormatPrice(0.5m, "USD"));
        Assert.Equal("0.5", CurrencyMath.FormatPrice(0.50m, "JPY"));
        Assert.Equal("3", CurrencyMath.FormatPrice(3.000m, "JPY"));
    }

    [Fact]
    public void Normalize_drops_trailing_zeros()
    {
        Assert.Equal("1.5", CurrencyMath.Normalize(1.500m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("100", CurrencyMath.Normalize(100.00m).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void To_minor_units_converts_exact_amounts()
    {
        Assert.Equal(1230L, CurrencyMath.ToMinorUnits(12.30m, "USD"));
        Assert.Equal(1200L, CurrencyMath.ToMinorUnits(1200m, "JPY"));
        Assert.Equal(1250L, CurrencyMath.ToMinorUnits(1.25m, "KWD"));
        Assert.Equal(-500L, CurrencyMath.ToMinorUnits(-5m, "USD"));
    }

    [Fact]
    public void To_minor_units_refuses_a_lossy_conversion()
    {
        var error = Assert.Throws<ArgumentException>(() => CurrencyMath.ToMinorUnits(12.345m, "USD"));
        Assert.Contains("without loss", error.Message);
        Assert.Throws<ArgumentException>(() => CurrencyMath.ToMinorUnits(0.5m, "JPY"));
    }
}
