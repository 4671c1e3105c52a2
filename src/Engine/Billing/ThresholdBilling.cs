using System.Globalization;
using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Threshold (progressive) billing, docs/dsl-spec.md §10.9. Pure: which threshold invoices a period owes is a function of
/// the customer's activity, the period and the threshold invoices already issued for it, never of when it is asked.
/// <list type="bullet">
/// <item>The running usage amount at an instant t is the sum of the usage lines (charges, pricing cap, guard caps; not
/// the base fee nor the minimum top-up) of the period's invoice drafted as of t (<see cref="CustomerActivity.InPeriod"/>).
/// It can only change where an outcome becomes billable, so it is read at those instants, in time order.</item>
/// <item>At the first instant where it reaches the next threshold of the schedule, one threshold invoice bills it, minus
/// what the period's live threshold invoices billed before, line by line; it covers every threshold reached then.</item>
/// <item>The period's invoice gets one <see cref="LineKind.ThresholdCredit"/> line: minus the subtotals of the live
/// threshold invoices, so the threshold invoices and the period's invoice together bill the period exactly once.</item>
/// </list>
/// The schedule is the one of the contract version in force at the period's start.
/// </summary>
internal static class ThresholdBilling
{
    private const string Rule = "thresholds";

    /// <summary>Run-time code: the threshold invoices billed more than the period's invoice (docs/dsl-spec.md §14).</summary>
    public static readonly string OverbilledCode = DiagnosticCatalogue.ThresholdsOverbilled.Code;

    public static ThresholdSchedule? Schedule(ContractPeriod period) => period.Segments[0].Version.Thresholds;

    /// <summary>The threshold invoices of <paramref name="period"/> (void ones too), in the order they were issued.</summary>
    public static IReadOnlyList<Invoice> Of(IEnumerable<Invoice> invoices, ContractPeriod period) =>
        invoices.Where(i => i.Kind == InvoiceKind.Threshold && i.Threshold is not null && i.Contract == period.Contract
                            && i.PeriodFrom == period.Period.From && i.PeriodTo == period.Period.To)
            .OrderBy(i => i.Threshold!.Index).ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The threshold invoices (drafts) the period owes beyond <paramref name="issued"/>, for crossings at or before
    /// <paramref name="until"/>. A rating error at an instant stops the scan and is returned: no threshold invoice is
    /// guessed past it.
    /// </summary>
    /// <param name="issued">The period's threshold invoices issued so far.</param>
    /// <param name="finalized">
    /// The customer's issued documents, as the period's invoice reads them: what a fixed <c>once</c> coupon has left
    /// after earlier periods (§9.14.1). Read once per plan, and only when a carried coupon asks.
    /// </param>
    public static ThresholdPlan Plan(
        string tenant, CustomerActivity activity, ContractPeriod period, IReadOnlyList<Invoice> issued, DateTimeOffset until,
        Func<IReadOnlyList<Invoice>>? finalized = null)
    {
        if (Schedule(period) is not { } schedule) return ThresholdPlan.None;
        var known = finalized is null ? null : new Lazy<IReadOnlyList<Invoice>>(finalized);
        Func<IReadOnlyList<Invoice>>? earlier = known is null ? null : () => known.Value;
        var documents = issued.ToList();
        var next = documents.Count == 0 ? 0 : documents.Max(d => d.Threshold!.Index) + 1;
        var start = documents.Count == 0 ? period.Period.From : documents.Max(d => d.Threshold!.CrossedAt);
        // On total, a base fee counts from its segment's start (a credit for unused in-advance fee from the segment's end),
        // so the amount also moves where a segment starts (§10.9.2).
        var moves = schedule.Basis == ThresholdBasis.Total
            ? activity.Outcomes.Select(o => o.BillableAt).Concat(period.Segments.Select(s => s.Range.From))
            : activity.Outcomes.Select(o => o.BillableAt);
        var instants = moves
            .Where(t => t >= start && t >= period.Period.From && t < period.Period.To && t <= until)
            .Distinct().Order().ToList();

        // Rating as of an instant reads every outcome billable by then; the scan reads each instant once at most.
        var ratings = new Dictionary<int, (PeriodActivity AsOf, RatedPeriod Rated, List<InvoiceLine> Counted, decimal Amount)>();
        (PeriodActivity AsOf, RatedPeriod Rated, List<InvoiceLine> Counted, decimal Amount) At(int index)
        {
            if (ratings.TryGetValue(index, out var known)) return known;
            var instant = instants[index];
            var asOf = Until(activity.InPeriod(period, instant), instant);
            var rated = PeriodRater.Rate(tenant, activity.Rules, asOf, earlier);
            var counted = rated.Draft is null ? [] : rated.Draft.Lines.Where(l => Counts(schedule.Basis, l, instant)).ToList();
            return ratings[index] = (asOf, rated, counted, counted.Sum(l => l.Amount));
        }
        static bool Failed(RatedPeriod rated) => rated.Draft is null || rated.Errors.Count > 0;

        // Where the amount cannot fall as time passes, the first instant that reaches the next threshold is found by
        // galloping and bisection: O(log n) ratings per threshold invoice instead of one per instant (§10.9, "the
        // amount is read … in time order" gives the same instant). Anything else is scanned instant by instant.
        var monotone = Monotone(activity.InPeriod(period, until), schedule);
        var planned = new List<Invoice>();
        for (var index = 0; index < instants.Count; index++)
        {
            if (schedule.At(next) is not { } threshold) break;
            if (monotone && FirstReaching(index, threshold) is var (found, failed))
            {
                if (failed) monotone = false;
                else if (found is { } first) index = first;
                else break;
            }
            var (asOf, rated, counted, usage) = At(index);
            // Ratings behind the scan are never read again (each holds a draft of the period).
            foreach (var done in ratings.Keys.Where(k => k <= index).ToList()) ratings.Remove(done);
            if (Failed(rated)) return new ThresholdPlan(planned, rated.Errors);
            var reached = schedule.HighestReached(usage, next);
            if (reached < next) continue;
            var instant = instants[index];
            var crossing = new ThresholdCrossing(reached,
                Enumerable.Range(next, reached - next + 1).Select(i => schedule.At(i)!.Value).ToList(), instant, usage);
            var (lines, taxes) = PeriodRater.Adjust(tenant, activity.Rules, asOf, counted, earlier);
            var document = Document(rated.Draft!, lines, taxes, documents.Where(d => d.Status != InvoiceStatus.Void).ToList(), crossing);
            planned.Add(document);
            documents.Add(document);
            next = reached + 1;
        }
        return new ThresholdPlan(planned, []);

        // The first index ≥ from whose amount reaches the threshold (null: none does), probing from..from+1, +3, +7 …
        // then bisecting the last gap; Failed when a probe hit a rating error (the caller then scans, and stops there).
        (int? Found, bool Failed) FirstReaching(int from, decimal threshold)
        {
            var low = from - 1; // the highest index known below the threshold
            var step = 1;
            int high;
            while (true)
            {
                high = Math.Min(low + step, instants.Count - 1);
                var probe = At(high);
                if (Failed(probe.Rated)) return (null, true);
                if (probe.Amount >= threshold) break;
                if (high == instants.Count - 1) return (null, false);
                low = high;
                step *= 2;
            }
            while (high - low > 1)
            {
                var middle = low + (high - low) / 2;
                var probe = At(middle);
                if (Failed(probe.Rated)) return (null, true);
                if (probe.Amount >= threshold) high = middle;
                else low = middle;
            }
            return (high, false);
        }
    }

    /// <summary>
    /// Whether the running amount can only grow as outcomes become billable, so that bisection finds the instant the
    /// scan would: every charge prices a sum or count of non-negative quantities with a unit, graduated or package price
    /// that is not negative (each line then grows with its outcomes, and rounding keeps the order), no guard, no plan
    /// cap and no reversed outcome; on total, one segment (a later version's unused-fee credit would lower it). Every
    /// other plan (volume tiers, percentages, dynamic prices, max/min/latest/unique/weighted aggregations, buckets …)
    /// is scanned instant by instant.
    /// </summary>
    private static bool Monotone(PeriodActivity whole, ThresholdSchedule schedule)
    {
        var currency = whole.Period.Segments[0].Version.Currency;
        bool NonNegative(PriceList? price) => price is null || !price.Has(currency) || price.In(currency) >= 0m;
        bool Grows(ChargeRule charge) =>
            (charge.Aggregation is null || (charge.Aggregation.Kind is AggregationKind.Sum or AggregationKind.Count && charge.Aggregation.Bucket is null))
            && charge.Model switch
            {
                UnitModel unit => NonNegative(unit.Price),
                TieredModel { Mode: TierModeKind.Graduated } tiers => tiers.Tiers.All(t => NonNegative(t.Price) && NonNegative(t.Flat)),
                PackageModel package => NonNegative(package.Price),
                _ => false,
            };
        return (schedule.Basis == ThresholdBasis.Usage || whole.Segments.Count == 1)
               && whole.Segments.All(s => s.Plan.Guards.Count == 0 && s.Plan.Cap is null && s.Plan.Charges.All(Grows))
               && whole.Outcomes.All(o => o.State != OutcomeState.Reversed && o.Quantity >= 0m);
    }

    /// <summary>
    /// The first instant after <paramref name="now"/> at which the period's running amount can move without a new event:
    /// an outcome of the period becoming billable (its validation window closes), and on total a segment or the next
    /// period starting (a base fee counts from then). Null when nothing is due before the period ends on usage.
    /// </summary>
    public static DateTimeOffset? NextMove(CustomerActivity activity, ContractPeriod period, DateTimeOffset now)
    {
        var moves = activity.Outcomes.Select(o => o.BillableAt).Where(t => t < period.Period.To);
        if (Schedule(period)?.Basis == ThresholdBasis.Total) moves = moves.Concat(period.Segments.Select(s => s.Range.From)).Append(period.Period.To);
        var next = moves.Where(t => t > now).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        return next == DateTimeOffset.MaxValue ? null : next;
    }

    /// <summary>
    /// The period's invoice netted by its live threshold invoices (unchanged when there are none). A period whose
    /// threshold invoices billed more than its invoice (a volume tier fell, a late reversal) cannot be finalized
    /// with a negative total: RB0910 says which documents to void.
    /// </summary>
    public static RatedPeriod Net(RatedPeriod rated, IEnumerable<Invoice> thresholdInvoices)
    {
        var live = thresholdInvoices.Where(i => i.Status != InvoiceStatus.Void).ToList();
        if (rated.Draft is not { } draft || live.Count == 0) return rated;
        var currency = draft.Currency;
        var billed = live.Sum(Billed);
        var names = live.Select(i => $"{Name(i)} ({CurrencyMath.Format(Billed(i), currency)} {currency})").ToList();
        var version = rated.Period.Segments[0].Version;
        // The credit carries minus the per-line tax the threshold invoices billed, per tax, so each tax of the period
        // (and the exclusive tax lines, Σ of the per-line tax) is billed exactly once over all documents (§10.9.1).
        var credited = draft.Taxes.Select(t => new LineTax(t.Tax, -live.Sum(i => TaxOf(i.Lines.Where(l => l.Kind != LineKind.Tax), t.Tax)))).ToList();
        var line = new InvoiceLine(
            DeterministicId.For("line", draft.Id, Rule), LineKind.ThresholdCredit, "Billed by threshold invoices", Rule,
            draft.Contract, version.Version, version.SourceHash, draft.PeriodFrom, draft.PeriodTo,
            live.Count, UnitPrice: null, -billed, [], [], [], [],
            $"nets {string.Join(", ", names)}")
        {
            Explanation = "usage of this period already invoiced when it reached the contract's thresholds",
            Breakdown = live.Select(i => new LineStep("threshold-invoice",
                $"{(i.Number is null ? i.Id : $"{i.Number} ({i.Id})")}: threshold {string.Join(", ", i.Threshold!.Amounts.Select(a => CurrencyMath.Format(a, currency) + " " + currency))} reached at {UtcTimestamp.Format(i.Threshold.CrossedAt)}",
                null, null, -Billed(i))).ToList(),
            Taxes = credited,
        };
        var lines = draft.Lines.Select(l => l.Kind == LineKind.Tax && credited.Find(t => t.Tax == l.Rule) is { Amount: not 0m } tax
            ? l with
            {
                Amount = l.Amount + tax.Amount,
                Breakdown = [.. l.Breakdown, new LineStep("threshold-billed", $"tax billed by threshold invoices: {LineBreakdown.P(-tax.Amount, currency)}", null, null, tax.Amount)],
            }
            : l).Append(line).ToList();
        var subtotal = lines.Sum(l => l.Amount);
        var netted = draft with
        {
            Lines = lines, Subtotal = subtotal, Total = subtotal - draft.CreditsApplied,
            Taxes = draft.Taxes.Count == 0 ? draft.Taxes : Summaries(draft.Taxes, lines),
        };
        if (subtotal >= 0m) return rated with { Draft = netted };
        var total = live.Sum(i => i.Subtotal);
        var error = new RatingError(draft.Customer, "", $"pricing of contract '{draft.Contract}'", OverbilledCode,
            $"threshold invoices {string.Join(", ", names)} billed {CurrencyMath.Format(total, currency)} {currency}, more than the period's "
            + $"{CurrencyMath.Format(draft.Subtotal, currency)} {currency}; the invoice would be negative: void a threshold invoice (its usage then goes on this invoice)");
        return rated with { Draft = netted, Errors = [.. rated.Errors, error] };
    }

    /// <summary>What the period's invoice credits for a threshold invoice: its lines but the exclusive tax lines (their tax is credited per line).</summary>
    public static decimal Billed(Invoice thresholdInvoice) => thresholdInvoice.Lines.Where(l => l.Kind != LineKind.Tax).Sum(l => l.Amount);

    private static decimal TaxOf(IEnumerable<InvoiceLine> lines, string tax) => lines.Sum(l => l.Taxes.FirstOrDefault(t => t.Tax == tax)?.Amount ?? 0m);

    /// <summary>An invoice's taxes over its lines, as <see cref="InvoiceAdjustments"/> states them: Σ per-line tax, on Σ of the taxed lines.</summary>
    private static List<InvoiceTax> Summaries(IReadOnlyList<InvoiceTax> taxes, IReadOnlyList<InvoiceLine> lines)
    {
        var taxed = lines.Where(l => l.Taxes.Count > 0).ToList();
        var gross = taxed.Sum(l => l.Amount);
        var included = taxed.Sum(l => l.Taxes.Sum(t => t.Amount));
        return taxes.Select(t => t with { Taxable = t.Inclusive ? gross - included : gross, Amount = TaxOf(taxed, t.Tax) }).ToList();
    }

    /// <summary>
    /// The activity of the period up to <paramref name="instant"/>: the outcomes billable by then (later ones have not
    /// happened yet, though the period's activity holds them), and reversed ones that happened by then. Exclusions and
    /// costs stay as the period has them: they bill nothing.
    /// </summary>
    private static PeriodActivity Until(PeriodActivity activity, DateTimeOffset instant) => activity with
    {
        Segments = activity.Segments.Select(s => s with
        {
            Outcomes = s.Outcomes.Where(o => o.State == OutcomeState.Reversed ? o.EventTime <= instant : o.BillableAt <= instant).ToList(),
        }).ToList(),
    };

    /// <summary>
    /// Lines that the running amount counts at <paramref name="instant"/>: what events move, not the minimum top-up; on
    /// total (§10.9.2) the base fee lines too, each from its segment's start, a credit of unused in-advance fee from its
    /// segment's end (when the version that replaces it takes over).
    /// </summary>
    private static bool Counts(ThresholdBasis basis, InvoiceLine line, DateTimeOffset instant) =>
        line.Kind is LineKind.Charge or LineKind.Cap or LineKind.GuardCap
        || (basis == ThresholdBasis.Total && line.Kind == LineKind.Base && (line.Amount >= 0m ? line.SegmentFrom <= instant : line.SegmentTo <= instant));

    /// <param name="adjusted">The usage lines as of the crossing, with the coupons and per-line taxes the period applies to them (and the tax lines).</param>
    private static Invoice Document(Invoice draft, IReadOnlyList<InvoiceLine> adjusted, IReadOnlyList<InvoiceTax> taxes, IReadOnlyList<Invoice> live, ThresholdCrossing crossing)
    {
        var currency = draft.Currency;
        var billed = live.SelectMany(i => i.Lines).Where(l => l.Kind != LineKind.Tax).GroupBy(l => l.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var usage = adjusted.Where(l => l.Kind != LineKind.Tax).ToList();
        var ids = usage.Select(l => l.Id).Concat(billed.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
        var note = $"usage to {UtcTimestamp.Format(crossing.CrossedAt)}, when it reached {string.Join(", ", crossing.Amounts.Select(a => CurrencyMath.Format(a, currency) + " " + currency))}";
        var lines = new List<InvoiceLine>();
        foreach (var id in ids)
        {
            var now = usage.Find(l => l.Id == id);
            var before = billed.GetValueOrDefault(id) ?? [];
            var amount = (now?.Amount ?? 0m) - before.Sum(l => l.Amount);
            if (amount == 0m) continue;
            if (before.Count == 0)
            {
                lines.Add(now! with { Note = note });
                continue;
            }
            var template = now ?? before[0];
            var earlier = before.SelectMany(l => l.Events).ToHashSet(StringComparer.Ordinal);
            var billedAmount = before.Sum(l => l.Amount);
            lines.Add(template with
            {
                Quantity = (now?.Quantity ?? 0m) - before.Sum(l => l.Quantity),
                Amount = amount,
                Tiers = [],
                Events = (now?.Events ?? []).Where(e => !earlier.Contains(e)).ToList(),
                Excluded = now?.Excluded ?? [],
                Attribution = CorrectionBuilder.AttributionDelta(before, now),
                Note = note,
                Pending = [],
                Breakdown =
                [
                    .. now?.Breakdown ?? [],
                    new LineStep("threshold-billed", $"billed by earlier threshold invoices: {CurrencyMath.Format(billedAmount, currency)} {currency}", null, null, -billedAmount),
                ],
                // The change of the line's tax: over the documents, each line's tax sums to its tax as of the crossing.
                Taxes = taxes.Select(t => new LineTax(t.Tax, TaxOf(now is null ? [] : [now], t.Tax) - TaxOf(before, t.Tax))).ToList(),
            });
        }
        lines.AddRange(taxes.Where(t => !t.Inclusive).Select(t => TaxLine(adjusted.First(l => l.Kind == LineKind.Tax && l.Rule == t.Tax), t, lines, currency)));

        var subtotal = lines.Sum(l => l.Amount);
        var id0 = DeterministicId.For("thr", draft.Tenant, draft.Customer, draft.Contract,
            UtcTimestamp.Format(draft.PeriodFrom), UtcTimestamp.Format(draft.PeriodTo), crossing.Index.ToString(CultureInfo.InvariantCulture));
        return new Invoice(
            id0, Number: null, InvoiceKind.Threshold, Corrects: null, draft.Tenant, draft.Customer, draft.Contract,
            lines.Select(l => l.Version).Distinct().Order().ToList(), currency, draft.PeriodFrom, draft.PeriodTo,
            InvoiceStatus.Draft, lines, subtotal, CreditsApplied: 0m, Total: subtotal, Guards: [], Credits: [], draft.RuleSetHash)
        {
            Threshold = crossing,
            Taxes = taxes.Count == 0 ? [] : Summaries(taxes, lines),
        };
    }

    /// <summary>A threshold invoice's exclusive tax line: Σ of its lines' tax (each the change of a line's rounded tax, so never re-rounded).</summary>
    private static InvoiceLine TaxLine(InvoiceLine template, InvoiceTax tax, IReadOnlyList<InvoiceLine> lines, string currency)
    {
        var amount = TaxOf(lines, tax.Tax);
        var taxed = lines.Count(l => TaxOf([l], tax.Tax) != 0m);
        var rate = CurrencyMath.Normalize(tax.Rate * 100m).ToString(CultureInfo.InvariantCulture);
        return template with
        {
            Amount = amount,
            Note = "exclusive tax: Σ of the per-line tax, each rounded half-up",
            Breakdown = [new LineStep("tax", $"{rate}% per line, Σ of the tax of this invoice's lines ({taxed.ToString(CultureInfo.InvariantCulture)} {LineBreakdown.Plural(taxed, "line")}) {LineBreakdown.Is(amount, currency)}", null, null, amount)],
        };
    }

    private static string Name(Invoice invoice) => invoice.Number ?? invoice.Id;
}

/// <summary>What one background threshold check issued, and when the customer's running amount can next move without a new event.</summary>
public sealed record ThresholdCheck(IReadOnlyList<Invoice> Issued, DateTimeOffset? NextMove)
{
    public static ThresholdCheck None { get; } = new([], null);
}

/// <summary>The threshold invoices a period owes now (drafts, in crossing order) and the rating errors that stopped the scan.</summary>
internal sealed record ThresholdPlan(IReadOnlyList<Invoice> Drafts, IReadOnlyList<RatingError> Errors)
{
    public static ThresholdPlan None { get; } = new([], []);
}
