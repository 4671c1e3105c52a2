using RulesBilling.Engine.Invoicing;
using RulesBilling.Host.Portal;

namespace RulesBilling.Host.Tests.Portal;

/// <summary>An inclusive tax (docs/dsl-spec.md §9.15) adds no line, so the invoice page states it in the totals.</summary>
public sealed class IncludedTaxTests
{
    private static Invoice Invoice(IReadOnlyList<InvoiceTax> taxes)
    {
        var from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var line = new InvoiceLine("l1", LineKind.Base, "Base fee", "base", "au", 1, "hash", from, from.AddMonths(1), 1m, 195m, 195m, [], [], [], [], null)
        {
            Taxes = taxes.Select(t => new LineTax(t.Tax, t.Amount)).ToList(),
        };
        return new Invoice("inv-1", "INV-000001", InvoiceKind.Invoice, null, "t1", "kookaburra-dev", "au", [1], "AUD", from, from.AddMonths(1),
            InvoiceStatus.Finalized, [line], 195m, 0m, 195m, [], [], "hash") { Taxes = taxes };
    }

    [Fact]
    public void The_page_states_an_inclusive_tax_in_its_totals_and_nothing_without_one()
    {
        using var taxed = new InvoiceDocument(Invoice([new InvoiceTax("au_gst", "GST", 0.10m, true, "AU", 177.27m, 17.73m)]));
        using var plain = new InvoiceDocument(Invoice([]));

        Assert.Equal([("GST 10% included (net 177.27)", "17.73")], InvoiceDocument.IncludedTaxes(taxed.Root));
        Assert.Contains("GST 10% included (net 177.27)", InvoiceHtml.Body(taxed, null, null, null), StringComparison.Ordinal);
        Assert.Empty(InvoiceDocument.IncludedTaxes(plain.Root));
        Assert.DoesNotContain("included (net", InvoiceHtml.Body(plain, null, null, null), StringComparison.Ordinal);
    }
}
