using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Accounting;

/// <summary>
/// The tax inside a document (docs/dsl-spec.md §9.15), which is owed to the tax authority, not earned: an exclusive
/// tax's line (or its correction), and the inclusive tax inside the other lines. The rest of a line is revenue.
/// </summary>
internal static class DocumentTax
{
    /// <summary>
    /// A tax line, or the correction of one: in a taxed document every other line carries its per-line tax, so a line
    /// without any that is ruled by one of the document's taxes is that tax's line.
    /// </summary>
    public static bool IsTaxLine(InvoiceLine line, Invoice document) =>
        line.Kind == LineKind.Tax
        || (line.Kind == LineKind.Correction && line.Taxes.Count == 0 && document.Taxes.Any(t => t.Tax == line.Rule));

    /// <summary>The part of a line's amount that is inclusive tax (0 without inclusive taxes).</summary>
    public static decimal Included(InvoiceLine line, Invoice document) =>
        line.Taxes.Where(t => document.Taxes.Any(x => x.Tax == t.Tax && x.Inclusive)).Sum(t => t.Amount);

    /// <summary>What the document owes in tax: its tax lines and the inclusive tax of its other lines.</summary>
    public static decimal Payable(Invoice document) =>
        document.Lines.Sum(l => IsTaxLine(l, document) ? l.Amount : Included(l, document));
}
