using System.Globalization;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Accounting;

/// <summary>
/// Derives the double-entry journal from documents, revenue schedules, credits and payments (docs/accounting.md):
/// <list type="bullet">
/// <item>issuing a document: Dr receivables its total, Dr prepaid credits what credits paid, Cr unbilled receivables
/// what it had already earned before its issue date, Cr deferred revenue the rest (per line);</item>
/// <item>each schedule day: Cr revenue, Dr unbilled receivables before the document's issue date, Dr deferred revenue
/// from it on;</item>
/// <item>a void: Cr receivables and prepaid credits back, Dr revenue what had been recognised, Dr deferred revenue what
/// was still deferred;</item>
/// <item>a payment Dr cash Cr receivables; a refund the reverse; a credit grant (prepaid) Dr cash Cr prepaid credits;
/// an expired grant's unused balance Dr prepaid credits Cr revenue (breakage).</item>
/// </list>
/// Every entry balances, so every period does. Deterministic: entries are ordered by date, kind, then id.
/// </summary>
public static class JournalBuilder
{
    /// <param name="asOf">Credit grants that expired by then post their breakage; nothing else depends on it.</param>
    public static IReadOnlyList<JournalEntry> Build(JournalInput input, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(input);
        var entries = new List<JournalEntry>();
        var documents = input.Documents.Where(Issued).ToList();
        var byOriginal = documents.GroupBy(d => d.Corrects ?? d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<Invoice>)g.ToList(), StringComparer.Ordinal);
        foreach (var document in documents)
        {
            var related = byOriginal[document.Corrects ?? document.Id];
            var schedule = RevenueScheduler.AsIssued(document, input.Timeline, related);
            Document(entries, input.Tenant, document, schedule);
        }
        foreach (var state in input.Payments)
        {
            if (input.Documents.FirstOrDefault(d => d.Id == state.InvoiceId) is not { } invoice) continue;
            foreach (var movement in state.Movements) Payment(entries, input.Tenant, invoice, movement);
        }
        Credits(entries, input, asOf);
        return entries
            .OrderBy(e => e.Date)
            .ThenBy(e => e.Kind)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The entries dated in [from, to) (either bound open when null).</summary>
    public static IReadOnlyList<JournalEntry> Between(IReadOnlyList<JournalEntry> entries, DateOnly? from, DateOnly? to) =>
        entries.Where(e => (from is null || e.Date >= from) && (to is null || e.Date < to)).ToList();

    /// <summary>Issued documents post; drafts and held invoices do not, nor a void of something never issued.</summary>
    private static bool Issued(Invoice d) => d.Number is not null && d.Status is InvoiceStatus.Finalized or InvoiceStatus.Void;

    private static void Document(List<JournalEntry> entries, string tenant, Invoice document, IReadOnlyList<RevenueScheduleEntry> schedule)
    {
        var issued = AccountingDates.Issued(document);
        var voided = AccountingDates.Voided(document);
        var name = document.Number ?? document.Id;
        var kind = document.Kind switch
        {
            InvoiceKind.CreditNote => JournalEntryKind.CreditNote,
            InvoiceKind.Adjustment => JournalEntryKind.Adjustment,
            _ => JournalEntryKind.Invoice,
        };
        var lines = new List<JournalLine>();
        Post(lines, LedgerAccounts.Receivables, document.Total, $"{Label(document.Kind)} {name} total", null);
        foreach (var credit in document.Credits)
            Post(lines, LedgerAccounts.CreditsLiability, credit.Amount, $"prepaid credits of grant {credit.GrantId} applied", null);
        var tax = DocumentTax.Payable(document);
        Post(lines, LedgerAccounts.TaxPayable, -tax, $"tax of {Label(document.Kind)} {name}", null);
        foreach (var line in schedule.GroupBy(e => e.LineId, StringComparer.Ordinal))
        {
            var description = line.First().Description;
            Post(lines, LedgerAccounts.UnbilledReceivables, -line.Where(e => e.Date < issued).Sum(e => e.Amount), $"{description}: earned before {name}", line.Key);
            Post(lines, LedgerAccounts.DeferredRevenue, -line.Where(e => e.Date >= issued).Sum(e => e.Amount), $"{description}: earned after {name}", line.Key);
        }
        entries.Add(Entry(tenant, document, issued, kind, $"{Label(document.Kind)} {name} issued", lines));

        foreach (var day in schedule.Where(e => voided is null || e.Date < voided).GroupBy(e => e.Date))
        {
            var recognised = new List<JournalLine>();
            foreach (var e in day)
                Post(recognised, LedgerAccounts.Revenue, -e.Amount, $"{e.Description} ({Basis(e.Basis)}{Events(e.Events)})", e.LineId);
            Post(recognised, day.Key < issued ? LedgerAccounts.UnbilledReceivables : LedgerAccounts.DeferredRevenue, day.Sum(e => e.Amount),
                $"revenue of {name} recognised", null);
            entries.Add(Entry(tenant, document, day.Key, JournalEntryKind.Recognition, $"revenue of {Label(document.Kind)} {name} recognised", recognised));
        }

        if (voided is not { } voidDate) return;
        var reversal = new List<JournalLine>();
        Post(reversal, LedgerAccounts.Receivables, -document.Total, $"{Label(document.Kind)} {name} voided", null);
        foreach (var credit in document.Credits)
            Post(reversal, LedgerAccounts.CreditsLiability, -credit.Amount, $"prepaid credits of grant {credit.GrantId} given back", null);
        Post(reversal, LedgerAccounts.TaxPayable, tax, $"tax of {Label(document.Kind)} {name} voided", null);
        foreach (var line in schedule.GroupBy(e => e.LineId, StringComparer.Ordinal))
        {
            var description = line.First().Description;
            var recognised = line.Where(e => e.Date < voidDate).Sum(e => e.Amount);
            Post(reversal, LedgerAccounts.Revenue, recognised, $"{description}: recognised revenue reversed", line.Key);
            Post(reversal, LedgerAccounts.DeferredRevenue, line.Sum(e => e.Amount) - recognised, $"{description}: deferred revenue released", line.Key);
        }
        entries.Add(Entry(tenant, document, voidDate, JournalEntryKind.Void, $"{Label(document.Kind)} {name} voided", reversal));
    }

    private static void Payment(List<JournalEntry> entries, string tenant, Invoice invoice, PaymentMovement movement)
    {
        var name = invoice.Number ?? invoice.Id;
        var sign = movement.Kind == PaymentMovementKind.Payment ? 1m : -1m;
        var what = movement.Kind == PaymentMovementKind.Payment ? "payment received for" : "refund given for";
        var lines = new List<JournalLine>();
        Post(lines, LedgerAccounts.Cash, sign * movement.Amount, $"{what} {name} (event {movement.ProviderEventId})", null);
        Post(lines, LedgerAccounts.Receivables, -sign * movement.Amount, $"{what} {name}", null);
        var kind = movement.Kind == PaymentMovementKind.Payment ? JournalEntryKind.Payment : JournalEntryKind.Refund;
        entries.Add(new JournalEntry(DeterministicId.For("je", tenant, kind.ToString(), invoice.Id, movement.ProviderEventId),
            AccountingDates.Day(movement.At), kind, tenant, invoice.Customer, invoice.Currency, invoice.Id, invoice.Number,
            $"{what} {name}", lines));
    }

    private static void Credits(List<JournalEntry> entries, JournalInput input, DateTimeOffset asOf)
    {
        foreach (var grant in input.Grants)
        {
            var purchase = new List<JournalLine>();
            Post(purchase, LedgerAccounts.Cash, grant.Amount, $"prepaid credits bought (grant {grant.Id})", null);
            Post(purchase, LedgerAccounts.CreditsLiability, -grant.Amount, $"prepaid credits owed (grant {grant.Id})", null);
            entries.Add(new JournalEntry(DeterministicId.For("je", input.Tenant, "grant", grant.Id), AccountingDates.Day(grant.GrantedAt),
                JournalEntryKind.CreditPurchase, input.Tenant, grant.Customer, grant.Currency, null, null,
                $"prepaid credits granted: {grant.Description ?? grant.Id}", purchase));

            if (grant.ExpiresAt is not { } expiry || expiry > asOf) continue;
            // Breakage: what the customer had not used when the grant expired is earned then (ASC 606-10-55-48).
            var used = input.Ledger.Where(l => l.GrantId == grant.Id && l.At < expiry
                                               && l.Kind is CreditLedgerKinds.Consumption or CreditLedgerKinds.Reversal).Sum(l => l.Amount);
            var unused = grant.Amount + used;
            if (unused <= 0m) continue;
            var breakage = new List<JournalLine>();
            Post(breakage, LedgerAccounts.CreditsLiability, unused, $"unused prepaid credits of grant {grant.Id} expired", null);
            Post(breakage, LedgerAccounts.Revenue, -unused, $"breakage of grant {grant.Id}", null);
            entries.Add(new JournalEntry(DeterministicId.For("je", input.Tenant, "expiry", grant.Id), AccountingDates.Day(expiry),
                JournalEntryKind.CreditExpiry, input.Tenant, grant.Customer, grant.Currency, null, null,
                $"prepaid credits expired: {grant.Description ?? grant.Id}", breakage));
        }
    }

    private static JournalEntry Entry(string tenant, Invoice document, DateOnly date, JournalEntryKind kind, string memo, List<JournalLine> lines) =>
        new(DeterministicId.For("je", tenant, kind.ToString(), document.Id, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            date, kind, tenant, document.Customer, document.Currency, document.Id, document.Number, memo, lines);

    /// <summary>A signed amount as a debit (positive) or a credit (negative); zero posts nothing.</summary>
    private static void Post(List<JournalLine> lines, LedgerAccount account, decimal amount, string description, string? lineId)
    {
        if (amount > 0m) lines.Add(new JournalLine(account, amount, 0m, description, lineId));
        else if (amount < 0m) lines.Add(new JournalLine(account, 0m, -amount, description, lineId));
    }

    private static string Label(InvoiceKind kind) => kind switch
    {
        InvoiceKind.CreditNote => "credit note",
        InvoiceKind.Adjustment => "adjustment",
        _ => "invoice",
    };

    private static string Basis(RecognitionBasis basis) => basis switch
    {
        RecognitionBasis.Ratable => "ratable day",
        RecognitionBasis.Validated => "outcomes validated",
        RecognitionBasis.PeriodEnd => "at period end",
        RecognitionBasis.Correction => "correction",
        _ => "void",
    };

    private static string Events(IReadOnlyList<string> events) => events.Count switch
    {
        0 => "",
        1 => $": {events[0]}",
        _ => string.Create(CultureInfo.InvariantCulture, $": {events.Count} events"),
    };
}
