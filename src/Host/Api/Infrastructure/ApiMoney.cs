using System.Globalization;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Money in API answers carries the currency's minor digits ("10.00" USD, "1000" JPY, "3.450" KWD) whatever scale the
/// input or the arithmetic left it with, as invoices do. A value finer than the currency (a pending estimate) keeps its
/// extra digits rather than being rounded silently.
/// </summary>
internal static class ApiMoney
{
    public static decimal Scale(decimal amount, string currency) =>
        decimal.Parse(CurrencyMath.FormatPrice(amount, currency), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
