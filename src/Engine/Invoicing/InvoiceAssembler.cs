using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// Builds a draft invoice from rated segments. Pure: no storage, no clock. Lines are ordered by
/// (segment, kind base &lt; charge &lt; cap &lt; minimum &lt; guard-cap, rule, description); guards are evaluated once over
/// all segments (<see cref="InvoiceGuards"/>); then coupons and taxes (<see cref="InvoiceAdjustments"/>); Subtotal = Σ lines exactly;
/// credits are not applied here (see <see cref="Credits.CreditApplier"/>), so Total = Subtotal.
/// </summary>
public static class InvoiceAssembler
{
    public static Invoice Assemble(InvoiceRequest request)
    {
        Validate(request);
        // Segments are assembled in time order: a later segment's tiers continue from the earlier ones (§10.5).
        var ledger = new TierLedger(request);
        var segments = request.Segments.OrderBy(s => s.From.UtcTicks)
            .Select(segment => new SegmentAssembler(request, segment, ledger))
            .Select(assembler => (assembler, assembler.Assemble()))
            .ToList();
        // Guards read the whole invoice, after every segment's lines (dsl-spec §9.10).
        var (findings, held) = InvoiceGuards.Evaluate(request, segments);

        var ordered = segments.SelectMany(s => s.assembler.Lines)
            .OrderBy(l => l.SegmentFrom.UtcTicks)
            .ThenBy(l => InvoiceNames.Rank(l.Kind))
            .ThenBy(l => l.Rule, StringComparer.Ordinal)
            .ThenBy(l => l.Description, StringComparer.Ordinal)
            .ThenBy(l => l.Id, StringComparer.Ordinal)
            .ToList();
        IReadOnlyList<InvoiceTax> taxes = [];
        if (segments.Count > 0 && (request.Coupons.Count > 0 || request.Taxes.Count > 0))
            (ordered, taxes) = new InvoiceAdjustments(request, segments.Select(s => s.assembler.Segment).ToList()).Apply(ordered);
        var subtotal = ordered.Sum(l => l.Amount);
        var id = DeterministicId.For("inv", request.Tenant, request.Customer, request.Contract,
            UtcTimestamp.Format(request.PeriodFrom), UtcTimestamp.Format(request.PeriodTo));

        return new Invoice(
            id, Number: null, InvoiceKind.Invoice, Corrects: null,
            request.Tenant, request.Customer, request.Contract,
            request.Segments.Select(s => s.Version.Version).Distinct().Order().ToList(),
            request.Currency, request.PeriodFrom, request.PeriodTo,
            held ? InvoiceStatus.Held : InvoiceStatus.Draft,
            ordered, subtotal, CreditsApplied: 0m, Total: subtotal,
            findings, Credits: [], request.RuleSetHash)
        {
            Excluded = segments.SelectMany(s => s.assembler.Unlined)
                .DistinctBy(x => (x.Id, x.Reason))
                .OrderBy(x => x.Outcome, StringComparer.Ordinal).ThenBy(x => x.Id, StringComparer.Ordinal).ThenBy(x => x.Reason, StringComparer.Ordinal)
                .ToList(),
            Taxes = taxes,
        };
    }

    /// <summary>Refuses inconsistent input with a clear message instead of producing a wrong invoice.</summary>
    private static void Validate(InvoiceRequest request)
    {
        CurrencyMath.MinorUnits(request.Currency);
        if (request.PeriodFrom >= request.PeriodTo)
            throw new ArgumentException($"invoice period {UtcTimestamp.Format(request.PeriodFrom)}..{UtcTimestamp.Format(request.PeriodTo)} is empty", nameof(request));

        DateTimeOffset? previousEnd = null;
        foreach (var segment in request.Segments.OrderBy(s => s.From.UtcTicks))
        {
            var range = $"{UtcTimestamp.Format(segment.From)}..{UtcTimestamp.Format(segment.To)}";
            if (segment.From >= segment.To || segment.From < request.PeriodFrom || segment.To > request.PeriodTo)
                throw new ArgumentException($"segment {range} is empty or outside the invoice period", nameof(request));
            if (previousEnd is { } end && segment.From < end)
                throw new ArgumentException($"segment {range} overlaps the previous segment", nameof(request));
            previousEnd = segment.To;
            if (segment.Version.Contract != request.Contract)
                throw new ArgumentException($"segment {range} is rated under contract '{segment.Version.Contract}', not '{request.Contract}'", nameof(request));
            // A pricing without price lists (only script charges) bills in whatever currency its contract declares.
            if (segment.Plan.Currencies.Count > 0 && !segment.Plan.Currencies.Contains(request.Currency))
                throw new ArgumentException($"pricing '{segment.Plan.Name}' has no prices in {request.Currency}", nameof(request));

            foreach (var outcome in segment.Outcomes)
            {
                if (outcome.Customer != request.Customer)
                    throw new ArgumentException($"outcome {outcome.EventSource}/{outcome.EventId} belongs to customer '{outcome.Customer}', not '{request.Customer}'", nameof(request));
                if (outcome.State == OutcomeState.Billable && (outcome.BillableAt < segment.From || outcome.BillableAt >= segment.To))
                    throw new ArgumentException($"outcome {outcome.EventSource}/{outcome.EventId} is billable at {UtcTimestamp.Format(outcome.BillableAt)}, outside segment {range}", nameof(request));
            }
        }
    }
}
