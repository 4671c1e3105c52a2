using System.Globalization;
using RulesBilling.Engine.Accounting;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Tests.Accounting;

/// <summary>
/// The worked examples of docs/accounting.md, each reproduced from a pricing-rules sample through the real engine:
/// prepaid credits, a validation window across a period end, a credit note, and a void. The numbers asserted here are
/// the hand-checked numbers of the doc.
/// </summary>
public sealed class WorkedExampleTests
{
    private const string T = SampleBooks.Tenant;

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static DateOnly Day(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    private static decimal Balance(IEnumerable<JournalEntry> entries, LedgerAccount account) =>
        entries.SelectMany(e => e.Lines).Where(l => l.Account == account).Sum(l => l.Debit - l.Credit);

    private static (decimal Debit, decimal Credit) Posted(JournalEntry entry, LedgerAccount account) =>
        (entry.Lines.Where(l => l.Account == account).Sum(l => l.Debit), entry.Lines.Where(l => l.Account == account).Sum(l => l.Credit));

    /// <summary>Example 1 (support_agent, acme-retail, January 2026): 50 USD of prepaid credits bought on Jan 1 pay part of the 113.70 USD invoice.</summary>
    [Fact]
    public void Prepaid_credits_are_a_liability_until_the_invoice_consumes_them()
    {
        using var books = new SampleBooks("support_agent.jsonl", "2026-01-01T00:00:00Z");
        books.Engine.GrantCredits(T, "acme-retail", 50m, "USD", grantId: "g-prepaid", description: "prepaid 50 USD");
        books.At("2026-02-02T00:00:00Z");
        var invoice = books.Engine.Finalize(T, "acme-retail", At("2026-01-01T00:00:00Z"));
        var journal = books.Journal();

        Assert.Equal((113.70m, 50.00m, 63.70m), (invoice.Subtotal, invoice.CreditsApplied, invoice.Total));
        var purchase = Assert.Single(journal, e => e.Kind == JournalEntryKind.CreditPurchase);
        Assert.Equal(Day("2026-01-01"), purchase.Date);
        Assert.Equal((50.00m, 0m), Posted(purchase, LedgerAccounts.Cash));
        Assert.Equal((0m, 50.00m), Posted(purchase, LedgerAccounts.CreditsLiability));

        var issued = Assert.Single(journal, e => e.Kind == JournalEntryKind.Invoice);
        Assert.Equal(Day("2026-02-01"), issued.Date);
        Assert.Equal((63.70m, 0m), Posted(issued, LedgerAccounts.Receivables));
        Assert.Equal((50.00m, 0m), Posted(issued, LedgerAccounts.CreditsLiability));
        Assert.Equal((0m, 113.70m), Posted(issued, LedgerAccounts.UnbilledReceivables));

        // Base fee 99.00 over 31 days: 30 days of 3.19 and the remainder, 3.30, on January 31.
        var schedule = books.Schedule(invoice.Id);
        var baseFee = schedule.Where(e => e.LineKind == LineKind.Base).ToList();
        Assert.Equal(31, baseFee.Count);
        Assert.All(baseFee.Take(30), e => Assert.Equal(3.19m, e.Amount));
        Assert.Equal((Day("2026-01-31"), 3.30m), (baseFee[30].Date, baseFee[30].Amount));
        // Outcomes are recognised on the day their 7-day hold ended: T-1001 (sup-0001) closed Jan 2, billable Jan 9.
        var first = schedule.Where(e => e.LineKind == LineKind.Charge).First();
        Assert.Equal((Day("2026-01-09"), RecognitionBasis.Validated), (first.Date, first.Basis));
        Assert.Contains("//support/agent-a/sup-0001", first.Events);

        var january = JournalBuilder.Between(journal, Day("2026-01-01"), Day("2026-02-01"));
        Assert.Equal(-113.70m, Balance(january, LedgerAccounts.Revenue));
        Assert.Equal(113.70m, Balance(january, LedgerAccounts.UnbilledReceivables));
        Assert.Equal(-50.00m, Balance(january, LedgerAccounts.CreditsLiability));
        // After the invoice: the customer owes 63.70, the credits are used up, nothing is unbilled.
        Assert.Equal((63.70m, 0m, 0m, 50.00m), (Balance(journal, LedgerAccounts.Receivables), Balance(journal, LedgerAccounts.CreditsLiability),
            Balance(journal, LedgerAccounts.UnbilledReceivables), Balance(journal, LedgerAccounts.Cash)));
    }

    /// <summary>
    /// Example 2 (sales_agent, northwind-sales): lead L-EU-100 is qualified on Jan 29 00:00 with a 3-day hold, so it
    /// is billable (and recognised) on Feb 1, on the February invoice; January's revenue is the one lead billable then.
    /// </summary>
    [Fact]
    public void An_outcome_whose_validation_window_crosses_the_period_end_is_revenue_of_the_next_period()
    {
        using var books = new SampleBooks("sales_agent.jsonl", "2026-02-02T00:00:00Z");
        var january = books.Engine.Finalize(T, "northwind-sales", At("2026-01-01T00:00:00Z"));
        books.At("2026-03-02T00:00:00Z");
        var february = books.Engine.Finalize(T, "northwind-sales", At("2026-02-01T00:00:00Z"));
        var journal = books.Journal();

        Assert.Equal((30.00m, 6972.91m), (january.Total, february.Total));
        // January: L-NA-190 (sal-0035), qualified Jan 20 10:00, validated Jan 23 — the first tier's 30.00.
        var januaryLead = Assert.Single(books.Schedule(january.Id));
        Assert.Equal((Day("2026-01-23"), 30.00m, "//sales/agent-global/sal-0035"), (januaryLead.Date, januaryLead.Amount, januaryLead.Events.Single()));
        var lead = Assert.Single(books.Schedule(february.Id), e => e.Events.Contains("//sales/agent-emea/sal-0001"));
        Assert.Equal((Day("2026-02-01"), 40.00m, RecognitionBasis.Validated), (lead.Date, lead.Amount, lead.Basis));
        // L-NA-213 (sal-0031), qualified Feb 26 00:00, is billable on Mar 1: neither February's schedule nor its revenue.
        Assert.DoesNotContain(books.Schedule(february.Id), e => e.Events.Contains("//sales/agent-global/sal-0031"));

        Assert.Equal(-30.00m, Balance(JournalBuilder.Between(journal, Day("2026-01-01"), Day("2026-02-01")), LedgerAccounts.Revenue));
        var feb = JournalBuilder.Between(journal, Day("2026-02-01"), Day("2026-03-01"));
        Assert.Equal(-6972.91m, Balance(feb, LedgerAccounts.Revenue));
        // February: +6972.91 earned and not yet billed (its invoice is dated Mar 1), −30.00 billed by January's invoice on Feb 1.
        Assert.Equal(6942.91m, Balance(feb, LedgerAccounts.UnbilledReceivables));
        var recognisedFeb1 = Assert.Single(journal, e => e.Kind == JournalEntryKind.Recognition && e.Date == Day("2026-02-01"));
        Assert.Equal((0m, 40.00m), Posted(recognisedFeb1, LedgerAccounts.Revenue));
    }

    /// <summary>
    /// Example 3 (support_agent, acme-retail): after January is invoiced, a late reopening of T-1020 inside its hold
    /// window reverses it; the corrections run of Feb 10 issues a 1.20 USD credit note, reversed in February, not January.
    /// </summary>
    [Fact]
    public void A_credit_note_reverses_the_revenue_it_corrects_on_its_issue_date()
    {
        using var books = new SampleBooks("support_agent.jsonl", "2026-02-02T00:00:00Z");
        var invoice = books.Engine.Finalize(T, "acme-retail", At("2026-01-01T00:00:00Z"));
        books.At("2026-02-10T12:00:00Z");
        books.Ingest("""{"specversion":"1.0","id":"sup-late-1","source":"//support/crm","type":"support.ticket.reopened","subject":"acme-retail","time":"2026-01-30T09:00:00Z","data":{"ticket_id":"T-1020","reason":"customer wrote back"}}""");
        var note = Assert.Single(books.Engine.Corrections(T, "acme-retail"));
        var journal = books.Journal();

        Assert.Equal((InvoiceKind.CreditNote, -1.20m), (note.Kind, note.Total));
        var entry = Assert.Single(books.Schedule(note.Id));
        Assert.Equal((Day("2026-02-10"), -1.20m, RecognitionBasis.Correction), (entry.Date, entry.Amount, entry.Basis));
        Assert.Equal(invoice.Lines.Single(l => l.Description == "Resolved ticket, normal or low priority").Id, entry.LineId);
        Assert.Contains("//support/agent-b/sup-0024", entry.Events);
        // The invoice's own schedule does not move: T-1020, reversed after the invoice, is still January 31 revenue there.
        Assert.Contains(books.Schedule(invoice.Id), e => e.Date == Day("2026-01-31") && e.Events.Contains("//support/agent-b/sup-0024"));

        var issued = Assert.Single(journal, e => e.Kind == JournalEntryKind.CreditNote);
        Assert.Equal(Day("2026-02-10"), issued.Date);
        Assert.Equal((0m, 1.20m), Posted(issued, LedgerAccounts.Receivables));
        Assert.Equal((1.20m, 0m), Posted(issued, LedgerAccounts.DeferredRevenue));
        var reversed = Assert.Single(journal, e => e.Kind == JournalEntryKind.Recognition && e.DocumentId == note.Id);
        Assert.Equal((1.20m, 0m), Posted(reversed, LedgerAccounts.Revenue));

        // January stays as closed (113.70); February carries the reversal.
        Assert.Equal(-113.70m, Balance(JournalBuilder.Between(journal, Day("2026-01-01"), Day("2026-02-01")), LedgerAccounts.Revenue));
        Assert.Equal(1.20m, Balance(JournalBuilder.Between(journal, Day("2026-02-10"), Day("2026-02-11")), LedgerAccounts.Revenue));
        Assert.Equal((112.50m, 0m), (Balance(journal, LedgerAccounts.Receivables), Balance(journal, LedgerAccounts.DeferredRevenue)));
    }

    /// <summary>Example 4 (support_agent, acme-retail): the January invoice paid with prepaid credits is voided on Feb 15.</summary>
    [Fact]
    public void A_void_reverses_the_receivable_the_credits_and_the_revenue_recognised()
    {
        using var books = new SampleBooks("support_agent.jsonl", "2026-01-01T00:00:00Z");
        books.Engine.GrantCredits(T, "acme-retail", 50m, "USD", grantId: "g-prepaid");
        books.At("2026-02-02T00:00:00Z");
        var invoice = books.Engine.Finalize(T, "acme-retail", At("2026-01-01T00:00:00Z"));
        books.At("2026-02-15T09:00:00Z");
        books.Engine.Void(T, invoice.Id, "billed to the wrong entity");
        var journal = books.Journal();

        var voided = Assert.Single(journal, e => e.Kind == JournalEntryKind.Void);
        Assert.Equal(Day("2026-02-15"), voided.Date);
        Assert.Equal((0m, 63.70m), Posted(voided, LedgerAccounts.Receivables));
        Assert.Equal((0m, 50.00m), Posted(voided, LedgerAccounts.CreditsLiability));
        Assert.Equal((113.70m, 0m), Posted(voided, LedgerAccounts.Revenue));
        var schedule = books.Schedule(invoice.Id);
        Assert.All(invoice.Lines.Where(l => l.Amount != 0m), l => Assert.Equal(0m, schedule.Where(e => e.LineId == l.Id).Sum(e => e.Amount)));
        // Back to where the customer stood after buying the credits: 50 USD cash held as a liability, no revenue.
        Assert.Equal((0m, -50.00m, 0m, 0m, 0m), (Balance(journal, LedgerAccounts.Receivables), Balance(journal, LedgerAccounts.CreditsLiability),
            Balance(journal, LedgerAccounts.Revenue), Balance(journal, LedgerAccounts.UnbilledReceivables), Balance(journal, LedgerAccounts.DeferredRevenue)));
    }
}
