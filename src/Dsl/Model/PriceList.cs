namespace RulesBilling.Dsl.Model;

/// <summary>The same price in one or more currencies (ISO 4217 code → amount).</summary>
public sealed record PriceList(IReadOnlyDictionary<string, decimal> Amounts)
{
    public bool Has(string currency) => Amounts.ContainsKey(currency);

    public decimal In(string currency) => Amounts.TryGetValue(currency, out var amount)
        ? amount
        : throw new InvalidOperationException($"no price in {currency}; the checker should have refused this rule set");

    public static PriceList Single(string currency, decimal amount) => new(new Dictionary<string, decimal> { [currency] = amount });
}
