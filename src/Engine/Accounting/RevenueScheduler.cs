using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Accounting;

/// <summary>
/// The revenue schedule of an issued document (ASC 606 / IFRS 15, as a billing system recognises):
/// <list type="bullet">
/// <item>base fees ratably, one entry per UTC day of the line's segment: the amount divided by the days, truncated to
/// minor units, the remainder on the last day;</item>
/// <item>outcome charges when each outcome became billable: the line amount is shared among its outcomes by billed
/// quantity (largest-remainder to the first) and summed per day;</item>
/// <item>minimums (true-ups), caps and guard caps on the segment's last day, when they become known;</item>
/// <item>a correction line follows the schedule of the line it corrects, each share on its day, except that what the
/// original had already recognised by the correction's issue date is changed on that date (a change of the
/// transaction price is recognised cumulatively);</item>
/// <item>a voided document keeps what it recognised before the void date and reverses it on that date; nothing after.</item>
/// </list>
/// Every entry is in whole minor units and the entries of a line sum to its amount exactly (to zero when voided).
/// Pure and deterministic: the same document and timeline give the same schedule.
/// </summary>
public static class RevenueScheduler
{
    /// <param name="related">The other documents of the same invoice (the original and its corrections), where a correction finds the line it corrects.</param>
    public static IReadOnlyList<RevenueScheduleEntry> Schedule(Invoice document, OutcomeTimeline timeline, IReadOnlyList<Invoice>? related = null)
    {
        var issued = AsIssued(document, timeline, related);
        if (AccountingDates.Voided(document) is not { } voided) return issued;
        var kept = issued.Where(e => e.Date < voided).ToList();
        var reversals = kept.GroupBy(e => e.LineId, StringComparer.Ordinal)
            .Select(g => g.First() with { Date = voided, Amount = -g.Sum(e => e.Amount), Basis = RecognitionBasis.Void, Events = [] })
            .Where(e => e.Amount != 0m);
        return kept.Concat(reversals).ToList();
    }

    /// <summary>The schedule as the document was issued, before any void.</summary>
    public static IReadOnlyList<RevenueScheduleEntry> AsIssued(Invoice document, OutcomeTimeline timeline, IReadOnlyList<Invoice>? related = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(timeline);
        var entries = new List<RevenueScheduleEntry>();
        foreach (var taxed in document.Lines)
        {
            // Tax is owed, not earned (docs/dsl-spec.md §9.15): a tax line is no revenue, and an inclusive tax leaves the line's net.
            if (DocumentTax.IsTaxLine(taxed, document)) continue;
            var included = DocumentTax.Included(taxed, document);
            var line = included == 0m ? taxed : taxed with { Amount = taxed.Amount - included };
            if (line.Amount == 0m) continue;
            var parts = line.Kind switch
            {
                LineKind.Base => Ratable(line, document.Currency),
                LineKind.Charge => Validated(line, document.Currency, timeline),
                LineKind.Correction => Corrected(line, document, timeline, related ?? []),
                _ => [(AccountingDates.LastDay(line.SegmentFrom, line.SegmentTo), line.Amount, RecognitionBasis.PeriodEnd, (IReadOnlyList<string>)line.Events)],
            };
            entries.AddRange(parts.Select(p => new RevenueScheduleEntry(document.Id, document.Number, document.Kind, line.Id, line.Kind,
                line.Description, line.Rule, line.Version, p.Date, p.Amount, document.Currency, p.Basis, p.Events)));
        }
        return entries.OrderBy(e => e.Date).ThenBy(e => e.LineId, StringComparer.Ordinal).ToList();
    }

    private static List<(DateOnly Date, decimal Amount, RecognitionBasis Basis, IReadOnlyList<string> Events)> Ratable(InvoiceLine line, string currency)
    {
        var first = AccountingDates.Day(line.SegmentFrom);
        var days = AccountingDates.LastDay(line.SegmentFrom, line.SegmentTo).DayNumber - first.DayNumber + 1;
        var daily = decimal.Round(line.Amount / days, CurrencyMath.MinorUnits(currency), MidpointRounding.ToZero);
        var parts = new List<(DateOnly, decimal, RecognitionBasis, IReadOnlyList<string>)>(days);
        for (var d = 0; d < days; d++)
        {
            var amount = d == days - 1 ? line.Amount - daily * (days - 1) : daily;
            if (amount != 0m) parts.Add((first.AddDays(d), amount, RecognitionBasis.Ratable, []));
        }
        return parts;
    }

    private static List<(DateOnly Date, decimal Amount, RecognitionBasis Basis, IReadOnlyList<string> Events)> Validated(
        InvoiceLine line, string currency, OutcomeTimeline timeline)
    {
        var placed = new List<(string Event, DateOnly Date, decimal Weight)>();
        foreach (var e in line.Events)
            if (timeline.TryFind(e, out var at, out var quantity)) placed.Add((e, AccountingDates.Day(at), quantity));
        // Outcomes the timeline no longer knows (e.g. the events were purged) are recognised when the period closes.
        if (placed.Count == 0) return [(AccountingDates.LastDay(line.SegmentFrom, line.SegmentTo), line.Amount, RecognitionBasis.PeriodEnd, line.Events)];
        if (placed.Sum(p => p.Weight) == 0m) placed = placed.Select(p => p with { Weight = 1m }).ToList();
        var shares = SplitAllocator.Allocate(line.Amount, placed.Select(p => p.Weight).ToList(), currency);
        return placed.Select((p, i) => (p, Share: shares[i]))
            .GroupBy(x => x.p.Date)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Sum(x => x.Share), RecognitionBasis.Validated, (IReadOnlyList<string>)g.Select(x => x.p.Event).ToList()))
            .Where(p => p.Item2 != 0m)
            .ToList();
    }

    private static List<(DateOnly Date, decimal Amount, RecognitionBasis Basis, IReadOnlyList<string> Events)> Corrected(
        InvoiceLine line, Invoice document, OutcomeTimeline timeline, IReadOnlyList<Invoice> related)
    {
        var issued = AccountingDates.Issued(document);
        var events = line.Events.Concat(line.Excluded.Select(x => x.Id)).ToList();
        // The schedule of the line as first billed: on the original, else on the earliest other correction that has it.
        var source = related.Where(d => d.Id != document.Id && d.Kind == InvoiceKind.Invoice)
            .Concat(related.Where(d => d.Id != document.Id && d.Kind != InvoiceKind.Invoice))
            .Select(d => d.Lines.FirstOrDefault(l => l.Id == line.Id && l.Amount != 0m && l.Kind != LineKind.Correction) is { } l ? (Document: d, Line: l) : default)
            .FirstOrDefault(x => x.Line is not null);
        if (source.Line is null) return [(issued, line.Amount, RecognitionBasis.Correction, events)];
        var basis = AsIssued(source.Document with { Lines = [source.Line], Status = InvoiceStatus.Finalized }, timeline);
        if (basis.Count == 0 || basis.Sum(e => e.Amount) == 0m) return [(issued, line.Amount, RecognitionBasis.Correction, events)];
        var shares = SplitAllocator.Allocate(line.Amount, basis.Select(e => e.Amount).ToList(), document.Currency);
        return basis.Select((e, i) => (Date: e.Date < issued ? issued : e.Date, Amount: shares[i]))
            .GroupBy(x => x.Date)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Sum(x => x.Amount), RecognitionBasis.Correction, (IReadOnlyList<string>)events))
            .Where(p => p.Item2 != 0m)
            .ToList();
    }
}
