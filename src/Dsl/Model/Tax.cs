namespace RulesBilling.Dsl.Model;

/// <summary>
/// A declared tax rate (docs/dsl-spec.md §9.15): <see cref="Rate"/> is a fraction (20% = 0.20); an exclusive tax is
/// added to the lines, an inclusive one is already inside their amounts and is only extracted and shown.
/// </summary>
public sealed record TaxRule(string Name, string Label, decimal Rate, bool Inclusive, string? Jurisdiction);

/// <summary>A tax attached to a contract version (<c>tax NAME [customers …]</c>); <see cref="Customers"/> empty: every customer.</summary>
public sealed record AttachedTax(TaxRule Tax, IReadOnlyList<string> Customers)
{
    public bool AppliesTo(string customer) => Customers.Count == 0 || Customers.Contains(customer, StringComparer.Ordinal);
}
