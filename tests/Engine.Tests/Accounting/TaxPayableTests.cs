using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Accounting;
using RulesBilling.Engine.Invoicing;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Accounting;

/// <summary>Tax in the journal (docs/dsl-spec.md §9.15): owed to the tax authority on tax payable, never revenue.</summary>
public sealed class TaxPayableTests
{
    private static Invoice Issued(TaxRule tax, decimal baseFee = 100m) =>
        InvoiceAssembler.Assemble(Request(Segment(Plan([Charge("call", Unit(5m))], baseFee: baseFee), Many("call", 3))) with { Taxes = [tax] })
            with { Number = "INV-000001", Status = InvoiceStatus.Finalized };

    private static IReadOnlyList<JournalEntry> Journal(Invoice invoice) =>
        JournalBuilder.Build(new JournalInput("default", [invoice], OutcomeTimeline.Empty, [], [], []), DateTimeOffset.MaxValue);

    private static decimal Balance(IReadOnlyList<JournalEntry> entries, LedgerAccount account) =>
        entries.SelectMany(e => e.Lines).Where(l => l.Account == account).Sum(l => l.Credit - l.Debit);

    [Fact]
    public void An_exclusive_tax_line_posts_to_tax_payable_and_revenue_is_the_net()
    {
        // 100 + 3 × 5 = 115.00; VAT 20% per line: 20.00 + 3.00 = 23.00; receivable 138.00.
        var invoice = Issued(new TaxRule("vat", "VAT", 0.20m, false, "GB"));

        var journal = Journal(invoice);

        Assert.Equal(138.00m, invoice.Total);
        Assert.Equal(23.00m, Balance(journal, LedgerAccounts.TaxPayable));
        Assert.Equal(115.00m, Balance(journal, LedgerAccounts.Revenue));
        Assert.Equal(-138.00m, Balance(journal, LedgerAccounts.Receivables));
        Assert.All(journal, e => Assert.Equal(e.Lines.Sum(l => l.Debit), e.Lines.Sum(l => l.Credit)));
        Assert.DoesNotContain(RevenueScheduler.Schedule(invoice, OutcomeTimeline.Empty), e => e.LineKind == LineKind.Tax);
    }

    [Fact]
    public void An_inclusive_tax_is_taken_out_of_each_line_s_revenue()
    {
        // 100 + 15 = 115.00 gross; GST 10% inside: 9.09 + 1.36 = 10.45; revenue 104.55.
        var invoice = Issued(new TaxRule("gst", "GST", 0.10m, true, "AU"));

        var journal = Journal(invoice);

        Assert.Equal(115.00m, invoice.Total);
        Assert.Equal(10.45m, Balance(journal, LedgerAccounts.TaxPayable));
        Assert.Equal(104.55m, Balance(journal, LedgerAccounts.Revenue));
        Assert.All(journal, e => Assert.Equal(e.Lines.Sum(l => l.Debit), e.Lines.Sum(l => l.Credit)));
    }

    [Fact]
    public void A_voided_taxed_invoice_gives_its_tax_back()
    {
        var invoice = Issued(new TaxRule("vat", "VAT", 0.20m, false, null)) with
        {
            Status = InvoiceStatus.Void, VoidedAt = new DateTimeOffset(2026, 2, 3, 0, 0, 0, TimeSpan.Zero),
        };

        var journal = Journal(invoice);

        Assert.Equal(0m, Balance(journal, LedgerAccounts.TaxPayable));
        Assert.Contains(journal.Single(e => e.Kind == JournalEntryKind.Void).Lines, l => l.Account == LedgerAccounts.TaxPayable && l.Debit == 23.00m);
    }
}
