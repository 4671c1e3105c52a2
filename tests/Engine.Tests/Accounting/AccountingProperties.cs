using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Engine.Accounting;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Tests.Accounting;

/// <summary>
/// Invariants of revenue schedules and the journal over generated documents: USD, JPY and KWD amounts; base, charge,
/// minimum and cap lines over segments of 1–62 days starting at any hour; outcomes billable anywhere in the segment
/// (some unknown to the timeline); prepaid credits; voids; credit notes issued before or after the period end.
/// </summary>
public sealed class AccountingProperties
{
    private sealed record Scenario(Invoice Invoice, Invoice? CreditNote, OutcomeTimeline Timeline)
    {
        public IReadOnlyList<Invoice> Documents => CreditNote is null ? [Invoice] : [Invoice, CreditNote];

        public override string ToString() =>
            $"{Invoice.Currency} {Invoice.PeriodFrom:O}–{Invoice.PeriodTo:O} {Invoice.Status} credits {Invoice.CreditsApplied} lines "
            + string.Join("; ", Invoice.Lines.Select(l => $"{l.Kind} {l.Amount} [{l.SegmentFrom:O}–{l.SegmentTo:O}] events {l.Events.Count}"))
            + (CreditNote is null ? "" : $" | credit note {CreditNote.Lines[0].Id} {CreditNote.Total} issued {CreditNote.IssuedAt:O}");
    }

    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Gen<Scenario> Scenarios() =>
        from currency in Gen.Elements("USD", "JPY", "KWD")
        from startHours in Gen.Choose(0, 60 * 24)
        from days in Gen.Choose(1, 62)
        from lineCount in Gen.Choose(1, 5)
        from specs in Gen.ListOf(LineSpec(), lineCount)
        from creditShare in Gen.Choose(0, 100)
        from voided in Gen.Elements(false, false, true)
        from voidDays in Gen.Choose(0, 40)
        from correct in Gen.Elements(false, true)
        from correctLine in Gen.Choose(0, lineCount - 1)
        from correctShare in Gen.Choose(1, 100)
        from issueHours in Gen.Choose(-62 * 24, 40 * 24)
        select Build(currency, startHours, days, specs.ToList(), creditShare, voided, voidDays, correct, correctLine, correctShare, issueHours);

    private sealed record Spec(LineKind Kind, long Minor, IReadOnlyList<(double Position, int Quantity, bool Known)> Outcomes);

    private static Gen<Spec> LineSpec() =>
        from kind in Gen.Elements(LineKind.Base, LineKind.Charge, LineKind.Charge, LineKind.Minimum, LineKind.Cap)
        from minor in Gen.Choose(0, 5_000_000)
        from count in Gen.Choose(0, 6)
        from outcomes in Gen.ListOf(
            from position in Gen.Choose(0, 9999)
            from quantity in Gen.Choose(0, 4)
            from known in Gen.Elements(true, true, true, false)
            select (position / 10000.0, quantity, known), count)
        select new Spec(kind, kind == LineKind.Cap ? -(minor / 100) : minor, outcomes.ToList());

    private static Scenario Build(
        string currency, int startHours, int days, List<Spec> specs, int creditShare, bool voided, int voidDays,
        bool correct, int correctLine, int correctShare, int issueHours)
    {
        var unit = 1m / Pow10(CurrencyMath.MinorUnits(currency));
        var from = Origin.AddHours(startHours);
        var to = from.AddDays(days);
        var outcomes = new List<OutcomeInstance>();
        var lines = new List<InvoiceLine>();
        for (var i = 0; i < specs.Count; i++)
        {
            var events = new List<string>();
            for (var k = 0; k < specs[i].Outcomes.Count; k++)
            {
                var (position, quantity, known) = specs[i].Outcomes[k];
                var id = $"e{i}-{k}";
                events.Add(EventRef.Of("src", id));
                var at = from.AddTicks((long)((to - from).Ticks * position));
                if (known) outcomes.Add(new OutcomeInstance("o", "c", id, "src", id, at.AddDays(-3), at, quantity, null, null,
                    new Dictionary<string, string?>(), [], OutcomeState.Billable, [], null));
            }
            lines.Add(Line($"l{i}", specs[i].Kind, specs[i].Minor * unit, from, to, specs[i].Kind == LineKind.Charge ? events : []));
        }
        var subtotal = lines.Sum(l => l.Amount);
        var credits = subtotal > 0m ? decimal.Round(subtotal * creditShare / 100m, CurrencyMath.MinorUnits(currency), MidpointRounding.ToZero) : 0m;
        var invoice = new Invoice("inv_1", "INV-1", InvoiceKind.Invoice, null, "t", "c", "k", [1], currency, from, to,
            voided ? InvoiceStatus.Void : InvoiceStatus.Finalized, lines, subtotal, credits, subtotal - credits, [],
            credits > 0m ? [new CreditApplication("g1", credits)] : [], "h")
        {
            VoidedAt = voided ? to.AddDays(voidDays) : null,
        };

        Invoice? note = null;
        var target = lines[correctLine];
        if (!voided && correct && target.Amount > 0m)
        {
            var amount = -Math.Max(unit, decimal.Round(target.Amount * correctShare / 100m, CurrencyMath.MinorUnits(currency), MidpointRounding.ToZero));
            var correction = target with { Kind = LineKind.Correction, Amount = amount, Events = [], Description = "Correction: " + target.Description };
            note = new Invoice("cn_1", "INV-2", InvoiceKind.CreditNote, invoice.Id, "t", "c", "k", [1], currency, from, to,
                InvoiceStatus.Finalized, [correction], amount, 0m, amount, [], [], "h")
            {
                IssuedAt = to.AddHours(issueHours) < from ? from : to.AddHours(issueHours),
            };
        }
        return new Scenario(invoice, note, OutcomeTimeline.From(outcomes));
    }

    private static InvoiceLine Line(string id, LineKind kind, decimal amount, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> events) =>
        new(id, kind, $"{kind} {id}", "rule", "k", 1, "hash", from, to, 1m, null, amount, [], events, [], [], null);

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++) result *= 10m;
        return result;
    }

    private static IReadOnlyList<JournalEntry> Journal(Scenario s) =>
        JournalBuilder.Build(new JournalInput("t", s.Documents, s.Timeline, [], [], []), DateTimeOffset.MaxValue);

    private static decimal Balance(IEnumerable<JournalEntry> entries, LedgerAccount account) =>
        entries.SelectMany(e => e.Lines).Where(l => l.Account == account).Sum(l => l.Debit - l.Credit);

    [Property(MaxTest = 300)]
    public Property Schedule_entries_are_whole_minor_units_and_sum_to_each_line_exactly() =>
        Prop.ForAll(Scenarios().ToArbitrary(), s =>
        {
            foreach (var document in s.Documents)
            {
                var schedule = RevenueScheduler.Schedule(document, s.Timeline, s.Documents);
                if (!schedule.All(e => CurrencyMath.IsRounded(e.Amount, e.Currency) && e.Amount != 0m)) return false;
                foreach (var line in document.Lines)
                {
                    var expected = document.Status == InvoiceStatus.Void ? 0m : line.Amount;
                    if (schedule.Where(e => e.LineId == line.Id).Sum(e => e.Amount) != expected) return false;
                }
                // Every entry traces back to a line of its document.
                if (!schedule.All(e => e.DocumentId == document.Id && document.Lines.Any(l => l.Id == e.LineId))) return false;
            }
            return true;
        });

    [Property(MaxTest = 300)]
    public Property Debits_equal_credits_in_every_entry_and_every_period() =>
        Prop.ForAll(Scenarios().ToArbitrary(), Gen.Choose(0, 200).ToArbitrary(), (s, cutDays) =>
        {
            var journal = Journal(s);
            var cut = DateOnly.FromDateTime(Origin.UtcDateTime).AddDays(cutDays);
            var before = JournalBuilder.Between(journal, null, cut);
            var after = JournalBuilder.Between(journal, cut, null);
            return journal.All(e => e.Debits == e.Credits && e.Lines.All(l => (l.Debit > 0m) != (l.Credit > 0m)))
                   && before.Sum(e => e.Debits) == before.Sum(e => e.Credits)
                   && after.Sum(e => e.Debits) == after.Sum(e => e.Credits)
                   && before.Count + after.Count == journal.Count;
        });

    [Property(MaxTest = 300)]
    public Property Once_everything_is_recognised_the_contract_accounts_are_empty_and_revenue_is_what_was_billed() =>
        Prop.ForAll(Scenarios().ToArbitrary(), s =>
        {
            var journal = Journal(s);
            var billed = s.Invoice.Status == InvoiceStatus.Void ? 0m : s.Documents.Sum(d => d.Subtotal);
            var receivable = s.Invoice.Status == InvoiceStatus.Void ? 0m : s.Documents.Sum(d => d.Total);
            var credits = s.Invoice.Status == InvoiceStatus.Void ? 0m : s.Invoice.CreditsApplied;
            return Balance(journal, LedgerAccounts.UnbilledReceivables) == 0m
                   && Balance(journal, LedgerAccounts.DeferredRevenue) == 0m
                   && Balance(journal, LedgerAccounts.Revenue) == -billed
                   && Balance(journal, LedgerAccounts.Receivables) == receivable
                   && Balance(journal, LedgerAccounts.CreditsLiability) == credits;
        });

    [Property(MaxTest = 100)]
    public Property The_same_documents_give_the_same_journal_bytes() =>
        Prop.ForAll(Scenarios().ToArbitrary(), s =>
            JournalCsv.Write(Journal(s)) == JournalCsv.Write(Journal(s))
            && QuickBooksJournal.Serialize(Journal(s)) == QuickBooksJournal.Serialize(Journal(s)));
}
