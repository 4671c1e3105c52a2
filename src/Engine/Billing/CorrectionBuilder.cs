using System.Globalization;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Compares what a finalized invoice (plus its earlier corrections) billed with a re-rating of the same period and
/// drafts the difference as new documents: a credit note for the lines that went down and an adjustment invoice for
/// those that went up. Correction lines keep the id of the line they correct, so billed-so-far per line is the sum
/// over the original and all its live corrections, and a second run finds nothing left to correct.
/// A taxed invoice's corrections carry their tax (docs/dsl-spec.md §9.15): each correction line carries the change of
/// its line's tax, and an exclusive tax's correction is split between the documents so that each document's tax line
/// is Σ of its own lines' tax changes (a credit note refunds the tax of what it credits, an adjustment charges the tax
/// of what it adds); only a change of the tax itself (a new rate) is corrected on its own.
/// <para>
/// With <see cref="CorrectionMode.ReverseAndRebill"/> (docs/dsl-spec.md §10.8) a changed line is not netted: what was
/// billed for it is reversed in full on the credit note and the re-rated line is billed anew on the adjustment, so a
/// late event that moves a volume tier reads −150.00 and +80.00 rather than −70.00. Both lines keep the line's id,
/// so billed-so-far is the re-rated amount afterwards, as with net corrections.
/// </para>
/// </summary>
internal static class CorrectionBuilder
{
    public static IReadOnlyList<Invoice> Build(
        Invoice original, IReadOnlyList<Invoice> corrections, Invoice rerated, DateTimeOffset at, CorrectionMode mode = CorrectionMode.Net)
    {
        var live = corrections.Where(c => c.Status != InvoiceStatus.Void).ToList();
        var billed = original.Lines.Concat(live.SelectMany(c => c.Lines)).GroupBy(l => l.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var expected = rerated.Lines.ToDictionary(l => l.Id, StringComparer.Ordinal);
        var exclusions = rerated.Lines.SelectMany(l => l.Excluded).DistinctBy(x => x.Id, StringComparer.Ordinal)
            .ToDictionary(x => x.Id, StringComparer.Ordinal);

        var invoiceTaxes = rerated.Taxes.Concat(original.Taxes).DistinctBy(t => t.Tax, StringComparer.Ordinal).ToList();
        var taxes = invoiceTaxes.Select(t => t.Tax).ToList();
        var deltas = new List<InvoiceLine>();
        var taxLines = new List<(List<InvoiceLine> Before, InvoiceLine? Now)>();
        foreach (var id in billed.Keys.Union(expected.Keys, StringComparer.Ordinal))
        {
            var before = billed.GetValueOrDefault(id) ?? [];
            var now = expected.GetValueOrDefault(id);
            // Correction lines lose their line's kind, but the original tax line is among the billed ones.
            if ((now ?? before[0]).Kind == LineKind.Tax || before.Any(l => l.Kind == LineKind.Tax))
            {
                taxLines.Add((before, now));
                continue;
            }
            var amount = (now?.Amount ?? 0m) - before.Sum(l => l.Amount);
            if (amount == 0m) continue;
            if (mode == CorrectionMode.Net)
            {
                deltas.Add(Delta(original, before, now, amount, exclusions, at) with { Taxes = TaxDelta(taxes, before, now) });
                continue;
            }
            // Reversed and re-billed lines carry their whole tax, taken back and charged anew (§9.15, §10.8).
            if (before.Sum(l => l.Amount) != 0m) deltas.Add(Reversal(original, before, now, exclusions, at) with { Taxes = TaxDelta(taxes, before, null) });
            if (now is { Amount: not 0m }) deltas.Add(Rebill(original, now, at) with { Taxes = TaxDelta(taxes, [], now) });
        }

        var documents = new List<Invoice>();
        var sequence = corrections.Count;
        var credited = deltas.Where(d => d.Amount < 0m).ToList();
        var added = deltas.Where(d => d.Amount > 0m).ToList();
        // An exclusive tax's change: the part each document's lines explain goes on that document; what is left is a
        // change of the tax itself and goes by its sign.
        foreach (var (before, now) in taxLines)
        {
            var tax = (now ?? before[0]).Rule;
            var total = (now?.Amount ?? 0m) - before.Sum(l => l.Amount);
            var onCredit = credited.Sum(l => l.Taxes.FirstOrDefault(t => t.Tax == tax)?.Amount ?? 0m);
            var onAdjustment = added.Sum(l => l.Taxes.FirstOrDefault(t => t.Tax == tax)?.Amount ?? 0m);
            var rest = total - onCredit - onAdjustment;
            if (rest < 0m) onCredit += rest;
            else onAdjustment += rest;
            if (onCredit != 0m) credited.Add(Delta(original, before, now, onCredit, exclusions, at));
            if (onAdjustment != 0m) added.Add(Delta(original, before, now, onAdjustment, exclusions, at));
        }

        foreach (var (kind, lines) in new[] { (InvoiceKind.CreditNote, credited), (InvoiceKind.Adjustment, added) })
        {
            if (lines.Count == 0) continue;
            var document = Document(original, kind, lines, rerated.RuleSetHash, ++sequence) with { IssuedAt = at };
            documents.Add(document with { Taxes = DocumentTaxes(invoiceTaxes, document.Lines) });
        }
        return documents;
    }

    /// <summary>The change of a line's tax, per tax of the invoice (empty when the invoice has none).</summary>
    private static IReadOnlyList<LineTax> TaxDelta(IReadOnlyList<string> taxes, IReadOnlyList<InvoiceLine> before, InvoiceLine? now) =>
        taxes.Select(tax => new LineTax(tax,
                (now?.Taxes.FirstOrDefault(t => t.Tax == tax)?.Amount ?? 0m)
                - before.Sum(l => l.Taxes.FirstOrDefault(t => t.Tax == tax)?.Amount ?? 0m)))
            .ToList();

    /// <summary>A correction document's taxes: Σ of its lines' tax changes, on Σ of its taxed lines.</summary>
    private static IReadOnlyList<InvoiceTax> DocumentTaxes(IReadOnlyList<InvoiceTax> taxes, IReadOnlyList<InvoiceLine> lines)
    {
        var taxed = lines.Where(l => l.Taxes.Count > 0).ToList();
        if (taxed.Count == 0) return [];
        return taxes.Select(t =>
        {
            var amount = taxed.Sum(l => l.Taxes.FirstOrDefault(x => x.Tax == t.Tax)?.Amount ?? 0m);
            var gross = taxed.Sum(l => l.Amount);
            var taxable = t.Inclusive ? gross - taxed.Sum(l => l.Taxes.Sum(x => x.Amount)) : gross;
            return t with { Taxable = taxable, Amount = amount };
        }).ToList();
    }

    private static InvoiceLine Delta(
        Invoice original, IReadOnlyList<InvoiceLine> before, InvoiceLine? now, decimal amount,
        IReadOnlyDictionary<string, LineExclusion> exclusions, DateTimeOffset at)
    {
        var template = now ?? before[0];
        var billedAmount = before.Sum(l => l.Amount);
        var billedEvents = before.SelectMany(l => l.Events).ToHashSet(StringComparer.Ordinal);
        var nowEvents = now?.Events ?? [];
        var added = nowEvents.Where(e => !billedEvents.Contains(e)).Order(StringComparer.Ordinal).ToList();
        // Events billed before and now excluded, with the reason the re-rating gives (a late reversal…); an event
        // that merely moved to another line shows up among that line's added events instead.
        var dropped = billedEvents.Except(nowEvents, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(exclusions.ContainsKey)
            .Select(e => exclusions[e])
            .ToList();
        var currency = original.Currency;
        var note = $"corrects {original.Number ?? original.Id}: billed {CurrencyMath.Format(billedAmount, currency)}, "
                   + $"re-rated {CurrencyMath.Format(now?.Amount ?? 0m, currency)} {currency} at {UtcTimestamp.Format(at)}";

        return new InvoiceLine(
            template.Id, LineKind.Correction, $"Correction: {template.Description}", template.Rule, template.Contract,
            template.Version, template.RuleFileHash, template.SegmentFrom, template.SegmentTo,
            (now?.Quantity ?? 0m) - before.Sum(l => l.Quantity), template.UnitPrice, amount, [],
            added, dropped, AttributionDelta(before, now), note)
        {
            Explanation = template.Explanation,
            Breakdown =
            [
                new LineStep("correction", $"re-rated {CurrencyMath.Format(now?.Amount ?? 0m, currency)} {currency} − billed {CurrencyMath.Format(billedAmount, currency)} {currency}",
                    null, null, amount),
            ],
        };
    }

    /// <summary>The whole amount billed so far for a line, taken back; the events the re-rating excludes say why.</summary>
    private static InvoiceLine Reversal(
        Invoice original, IReadOnlyList<InvoiceLine> before, InvoiceLine? now, IReadOnlyDictionary<string, LineExclusion> exclusions, DateTimeOffset at)
    {
        var template = before[0];
        var billedAmount = before.Sum(l => l.Amount);
        var billedEvents = before.SelectMany(l => l.Events).ToHashSet(StringComparer.Ordinal);
        var dropped = billedEvents.Except(now?.Events ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(exclusions.ContainsKey)
            .Select(e => exclusions[e])
            .ToList();
        var currency = original.Currency;
        var note = $"reverses {original.Number ?? original.Id}: billed {CurrencyMath.Format(billedAmount, currency)} {currency}, re-rated at {UtcTimestamp.Format(at)}";
        return new InvoiceLine(
            template.Id, LineKind.Correction, $"Reversal: {template.Description}", template.Rule, template.Contract,
            template.Version, template.RuleFileHash, template.SegmentFrom, template.SegmentTo,
            -before.Sum(l => l.Quantity), template.UnitPrice, -billedAmount, [],
            [], dropped, AttributionDelta(before, null), note)
        {
            Explanation = template.Explanation,
            Breakdown = [new LineStep("reversal", $"reverses billed {CurrencyMath.Format(billedAmount, currency)} {currency}", null, null, -billedAmount)],
        };
    }

    /// <summary>The re-rated line billed anew, with its own arithmetic and events.</summary>
    private static InvoiceLine Rebill(Invoice original, InvoiceLine now, DateTimeOffset at)
    {
        var currency = original.Currency;
        var note = $"re-bills {original.Number ?? original.Id}: re-rated {CurrencyMath.Format(now.Amount, currency)} {currency} at {UtcTimestamp.Format(at)}";
        return now with { Kind = LineKind.Correction, Description = $"Rebill: {now.Description}", Note = note, Pending = [] };
    }

    internal static IReadOnlyList<Attribution> AttributionDelta(IReadOnlyList<InvoiceLine> before, InvoiceLine? now)
    {
        var sums = new Dictionary<(string Dimension, string Value), decimal>();
        void Add(IEnumerable<Attribution> attributions, decimal sign)
        {
            // "" stands for an absent value inside the key; absent and empty are both shown as null below.
            foreach (var a in attributions) sums[(a.Dimension, a.Value ?? "")] = sums.GetValueOrDefault((a.Dimension, a.Value ?? "")) + sign * a.Amount;
        }
        Add(now?.Attribution ?? [], 1m);
        Add(before.SelectMany(l => l.Attribution), -1m);
        return sums.Where(s => s.Value != 0m)
            .OrderBy(s => s.Key.Dimension, StringComparer.Ordinal).ThenBy(s => s.Key.Value, StringComparer.Ordinal)
            .Select(s => new Attribution(s.Key.Dimension, s.Key.Value == "" ? null : s.Key.Value, s.Value))
            .ToList();
    }

    private static Invoice Document(Invoice original, InvoiceKind kind, IReadOnlyList<InvoiceLine> lines, string ruleSetHash, int sequence)
    {
        var ordered = lines
            .OrderBy(l => l.SegmentFrom.UtcTicks)
            .ThenBy(l => l.Rule, StringComparer.Ordinal)
            .ThenBy(l => l.Description, StringComparer.Ordinal)
            .ThenBy(l => l.Id, StringComparer.Ordinal)
            .ToList();
        var subtotal = ordered.Sum(l => l.Amount);
        var id = DeterministicId.For(kind == InvoiceKind.CreditNote ? "cn" : "adj", original.Id, sequence.ToString(CultureInfo.InvariantCulture));
        return new Invoice(
            id, Number: null, kind, Corrects: original.Id, original.Tenant, original.Customer, original.Contract,
            ordered.Select(l => l.Version).Distinct().Order().ToList(), original.Currency, original.PeriodFrom, original.PeriodTo,
            InvoiceStatus.Finalized, ordered, subtotal, CreditsApplied: 0m, Total: subtotal, Guards: [], Credits: [], ruleSetHash);
    }
}
