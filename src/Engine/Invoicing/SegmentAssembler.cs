using System.Globalization;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Invoicing;

/// <summary>What one segment contributes to its invoice's guards: charge revenue per outcome and usage after cap and minimum.</summary>
internal sealed record SegmentResult(
    IReadOnlyDictionary<string, decimal> RevenueByOutcome, decimal Usage, IReadOnlyList<OutcomeInstance> Billable);

/// <summary>
/// Rates one segment in the order of docs/dsl-spec.md §9.10 "Order of application": base fee (prorated) → charges (with charge caps) →
/// pricing cap → minimum true-up (both prorated). Guards are evaluated over the whole invoice by
/// <see cref="InvoiceGuards"/>, which adds any guard-cap line to the segment whose version declares the guard.
/// Every line is rounded once, half-up: to the currency's minor unit, or to the contract version's
/// <c>round to</c> increment (docs/dsl-spec.md §10.6) from the line's exact amount.
/// </summary>
internal sealed partial class SegmentAssembler(InvoiceRequest request, InvoiceSegment segment, TierLedger? ledger = null)
{
    private readonly TimeZoneInfo? zone = LocalTime.Zone(segment.Version.TimeZone);
    private readonly string currency = request.Currency;
    private readonly decimal? increment = segment.Version.RoundingIncrement;
    private readonly PricingPlan plan = segment.Plan;
    private readonly List<InvoiceLine> lines = [];
    private readonly List<OutcomeInstance> billable = segment.Outcomes.Where(o => o.State == OutcomeState.Billable).ToList();
    // Local wall-clock lengths (real ticks without a timezone): a DST day is still a day of the period.
    private readonly long segmentTicks = LocalTime.Length(segment.From, segment.To, LocalTime.Zone(segment.Version.TimeZone)).Ticks;
    private readonly long periodTicks = LocalTime.Length(request.PeriodFrom, request.PeriodTo, LocalTime.Zone(segment.Version.TimeZone)).Ticks;

    public InvoiceSegment Segment => segment;

    public IReadOnlyList<InvoiceLine> Lines => lines;

    /// <summary>The exclusions of outcomes this segment has no charge line for: they go on the invoice itself.</summary>
    public IReadOnlyList<InvoiceExclusion> Unlined { get; private set; } = [];

    public SegmentResult Assemble()
    {
        AddBase();
        var revenueByOutcome = AddCharges();
        var usage = revenueByOutcome.Values.Sum();
        usage += AddPricingCap(usage);
        usage += AddMinimum(usage);
        return new SegmentResult(revenueByOutcome, usage, billable);
    }

    /// <summary>A negative guard-cap line of this segment bringing the invoice's usage down by <paramref name="exact"/>; returns the rounded amount.</summary>
    public decimal AddGuardCap(GuardRule guard, int index, decimal exact, string? note)
    {
        var amount = Round(exact);
        if (amount == 0m) return 0m;
        AddLine(LineKind.GuardCap, guard.Name, index, $"{guard.Label}: cap", 1m, null, amount, note,
            steps: LineBreakdown.Single("guard-cap", $"usage capped by {guard.Label}: {LineBreakdown.P(exact, currency)}", null, null, exact),
            explanation: guard.Description);
        return amount;
    }

    private void AddBase()
    {
        if (plan.BaseFee is not { } baseFee) return;
        if (plan.BaseInAdvance)
        {
            AddBaseInAdvance(baseFee.In(currency));
            return;
        }
        var price = baseFee.In(currency);
        var exact = Prorate(price);
        var text = segmentTicks == periodTicks
            ? $"1 × {LineBreakdown.P(price, currency)} {LineBreakdown.Is(price, currency)}"
            : $"{LineBreakdown.P(price, currency)} × {ProrationNote()![9..]} {LineBreakdown.Is(exact, currency)}";
        AddLine(LineKind.Base, "base", 0, "Base fee", 1m, price, Round(exact), ProrationNote(),
            steps: segmentTicks == periodTicks
                ? LineBreakdown.Single("base", text, 1m, price, exact)
                : LineBreakdown.Single("base", text, null, null, exact));
    }

    /// <summary>Adds one line per charge, even at zero quantity, and returns the charge revenue per outcome.</summary>
    private Dictionary<string, decimal> AddCharges()
    {
        var assigned = plan.Charges.Select(_ => new List<OutcomeInstance>()).ToArray();
        var exclusionsByOutcome = new Dictionary<string, List<LineExclusion>>(StringComparer.Ordinal);
        var pendingByOutcome = new Dictionary<string, List<PendingOutcome>>(StringComparer.Ordinal);
        void Exclude(string outcome, LineExclusion exclusion)
        {
            if (!exclusionsByOutcome.TryGetValue(outcome, out var list)) exclusionsByOutcome[outcome] = list = [];
            list.Add(exclusion);
        }

        foreach (var excluded in segment.Excluded)
            Exclude(excluded.Outcome, new LineExclusion(excluded.EventId, excluded.Reason, excluded.Detail));

        foreach (var outcome in segment.Outcomes.Order(OutcomeOrder.Billing))
        {
            switch (outcome.State)
            {
                case OutcomeState.Reversed:
                    Exclude(outcome.Outcome, new LineExclusion(EventRef(outcome), ExclusionReasons.ReversedWithinWindow,
                        outcome.ReversedByEventId is { } by ? $"reversed by {by}" : null));
                    break;
                case OutcomeState.Pending:
                    // Not excluded: counted, and billed once its validation window closes (on the invoice of that period).
                    if (!pendingByOutcome.TryGetValue(outcome.Outcome, out var pending)) pendingByOutcome[outcome.Outcome] = pending = [];
                    pending.Add(new PendingOutcome(EventRef(outcome), outcome.BillableAt));
                    break;
                default:
                    var charge = FirstMatchingCharge(outcome);
                    if (charge >= 0) assigned[charge].Add(outcome);
                    else Exclude(outcome.Outcome, new LineExclusion(EventRef(outcome), ExclusionReasons.NoMatchingCharge,
                        $"no charge of pricing '{plan.Name}' matches its dimensions"));
                    break;
            }
        }

        var revenue = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var explained = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Charges.Count; i++)
        {
            var rule = plan.Charges[i];
            var result = ChargeCalculator.Rate(rule, currency, assigned[i],
                new RatingContext(request.Customer, request.Contract, segment.Version.Version, currency, request.PeriodFrom, request.PeriodTo, segment.From, segment.To));
            string? tierNote = null;
            if (ledger is not null)
            {
                (result, tierNote) = TierCarry.Apply(rule, currency, result, segment.Version.Tiers, ledger.Offset(rule), ledger.PeriodUnits(rule), ledger.Charged(rule));
                ledger.Record(rule, result.BilledQuantity, result.Flats.Select(f => f.From));
            }

            // Exclusions belong to an outcome, not to a charge: they are shown once, on the outcome's first charge line.
            // Duplicates come with the segment's exclusions (where the duplicate happened), not with the outcome they
            // duplicate, which may be billed in another segment or period: an excluded event is explained once.
            var excluded = new List<LineExclusion>();
            IReadOnlyList<PendingOutcome> pendingHere = [];
            if (explained.Add(rule.Outcome))
            {
                if (exclusionsByOutcome.TryGetValue(rule.Outcome, out var ofOutcome)) excluded.AddRange(ofOutcome);
                if (pendingByOutcome.TryGetValue(rule.Outcome, out var pendingOfOutcome))
                    pendingHere = pendingOfOutcome.OrderBy(p => p.BillableAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
            }

            var ruleName = rule.FilterText is null ? rule.Outcome : $"{rule.Outcome} where {rule.FilterText}";
            // With a rounding increment the line is rounded from the exact amount, not from its minor-unit rounding.
            var amount = increment is null ? result.Amount : Round(result.ExactAmount);
            AddLine(LineKind.Charge, ruleName, i, rule.Label,
                result.Quantity, result.UnitPrice, amount, tierNote is null ? ChargeNote(rule, result) : string.Join("; ", new[] { tierNote, ChargeNote(rule, result) }.OfType<string>()),
                result.Tiers,
                result.Outcomes.Select(o => EventRef(o.Outcome)).ToList(),
                excluded.DistinctBy(e => (e.Id, e.Reason))
                    .OrderBy(e => e.Id, StringComparer.Ordinal).ThenBy(e => e.Reason, StringComparer.Ordinal).ToList(),
                LineAttribution.Compute(amount, result, currency),
                LineBreakdown.Charge(rule, result, currency), rule.Description, pendingHere);
            revenue[rule.Outcome] = revenue.GetValueOrDefault(rule.Outcome) + amount;
        }
        // Pending outcomes of an outcome without a charge line will never be billed by this plan: they stay exclusions.
        Unlined = exclusionsByOutcome.Where(e => !explained.Contains(e.Key))
            .SelectMany(e => e.Value.Select(x => new InvoiceExclusion(e.Key, x.Id, x.Reason, x.Detail)))
            .Concat(pendingByOutcome.Where(p => !explained.Contains(p.Key))
                .SelectMany(p => p.Value.Select(x => new InvoiceExclusion(p.Key, x.Id, ExclusionReasons.PendingValidation,
                    $"billable at {UtcTimestamp.Format(x.BillableAt)}"))))
            .ToList();
        return revenue;
    }

    private int FirstMatchingCharge(OutcomeInstance outcome)
    {
        for (var i = 0; i < plan.Charges.Count; i++)
        {
            var rule = plan.Charges[i];
            if (rule.Outcome == outcome.Outcome && (rule.Filter is null || rule.Filter(outcome.Dimensions))) return i;
        }
        return -1;
    }

    /// <summary>pricing cap P (prorated): if usage exceeds it, a negative line brings usage down to it.</summary>
    private decimal AddPricingCap(decimal usage)
    {
        if (plan.Cap is not { } cap) return 0m;
        var limit = Prorate(cap.In(currency));
        if (usage <= limit) return 0m;
        return AddAdjustment(LineKind.Cap, "cap", 0, $"Usage cap {LineBreakdown.P(cap.In(currency), currency)}", limit - usage,
            $"usage {LineBreakdown.P(usage, currency)} capped at {LineBreakdown.P(limit, currency)}: {LineBreakdown.P(limit - usage, currency)}");
    }

    /// <summary>pricing minimum P (prorated): if usage after the cap is below it, a true-up line makes up the difference.</summary>
    private decimal AddMinimum(decimal usage)
    {
        if (plan.Minimum is not { } minimum) return 0m;
        var floor = Prorate(minimum.In(currency));
        if (usage >= floor) return 0m;
        return AddAdjustment(LineKind.Minimum, "minimum", 0, $"Minimum commitment {LineBreakdown.P(minimum.In(currency), currency)}", floor - usage,
            $"minimum {LineBreakdown.P(floor, currency)} − usage {LineBreakdown.P(usage, currency)} = +{LineBreakdown.P(floor - usage, currency)}");
    }

    private decimal AddAdjustment(LineKind kind, string rule, int index, string description, decimal exact, string step)
    {
        var amount = Round(exact);
        if (amount == 0m) return 0m;
        AddLine(kind, rule, index, description, 1m, null, amount, ProrationNote(),
            steps: LineBreakdown.Single(InvoiceNames.Of(kind), step, null, null, exact));
        return amount;
    }

    /// <summary>Half-up to the contract's increment (kept at the currency's scale: 14.96 KWD is 14.960), else to the minor unit.</summary>
    private decimal Round(decimal exact) => increment is { } step
        ? CurrencyMath.RoundHalfUp(Math.Round(exact / step, 0, MidpointRounding.AwayFromZero) * step, currency)
        : CurrencyMath.RoundHalfUp(exact, currency);

    private void AddLine(LineKind kind, string rule, int index, string description, decimal quantity, decimal? unitPrice,
        decimal amount, string? note, IReadOnlyList<TierPart>? tiers = null, IReadOnlyList<string>? events = null,
        IReadOnlyList<LineExclusion>? excluded = null, IReadOnlyList<Attribution>? attribution = null,
        IReadOnlyList<LineStep>? steps = null, string? explanation = null, IReadOnlyList<PendingOutcome>? pending = null)
    {
        var id = DeterministicId.For("line", request.Tenant, request.Customer, request.Contract,
            UtcTimestamp.Format(request.PeriodFrom), UtcTimestamp.Format(request.PeriodTo),
            UtcTimestamp.Format(segment.From), UtcTimestamp.Format(segment.To),
            InvoiceNames.Of(kind), rule, index.ToString(CultureInfo.InvariantCulture));
        if (increment is { } step && steps is { Count: > 0 })
        {
            // Rounding to the contract's increment moves the line off the minor-unit rounding of its steps: the move is
            // a step of its own, so the steps still add up to the line (and the customer sees why 14.9625 is 14.960).
            var off = amount - steps.Sum(s => s.Amount);
            if (CurrencyMath.RoundHalfUp(off, currency) != 0m)
            {
                var shown = LineBreakdown.P(Math.Abs(off), currency);
                steps = [.. steps, new LineStep("rounding",
                    $"rounded to {CurrencyMath.FormatPrice(step, currency)} {currency}: {(off < 0m ? "−" : "+")}{shown}", null, null, off)];
            }
        }
        lines.Add(new InvoiceLine(id, kind, description, rule, segment.Version.Contract, segment.Version.Version,
            segment.Version.SourceHash, segment.From, segment.To, quantity, unitPrice, amount,
            tiers ?? [], events ?? [], excluded ?? [], attribution ?? [], note)
        {
            Breakdown = steps ?? [],
            Explanation = explanation,
            Pending = pending ?? [],
        });
    }

    /// <summary>Exact ticks ratio; multiplying first keeps the result exact whenever it is representable.</summary>
    private decimal Prorate(decimal amount) => segmentTicks == periodTicks ? amount : amount * segmentTicks / periodTicks;

    private string? ProrationNote() => segmentTicks == periodTicks
        ? null
        : $"prorated {Duration(TimeSpan.FromTicks(segmentTicks))} of {Duration(TimeSpan.FromTicks(periodTicks))}";

    private string? ChargeNote(ChargeRule rule, ChargeResult result)
    {
        var notes = new List<string>();
        if (result.Packages is { } packages && rule.Model is PackageModel package)
            notes.Add($"{Quantity(packages)} packages of {Quantity(package.Size)}, rounded {(package.RoundUp ? "up" : "down")}");
        if (result.CapApplied && rule.Cap is { } cap)
            notes.Add($"charge cap {CurrencyMath.FormatPrice(cap.In(currency), currency)} {currency} applied (uncapped {CurrencyMath.Format(CurrencyMath.RoundHalfUp(result.UncappedAmount, currency), currency)})");
        return notes.Count == 0 ? null : string.Join("; ", notes);
    }

    private static string EventRef(OutcomeInstance outcome) => $"{outcome.EventSource}/{outcome.EventId}";

    private static string Quantity(decimal value) => CurrencyMath.Normalize(value).ToString(CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) => span.Ticks % TimeSpan.TicksPerDay == 0
        ? $"{span.Ticks / TimeSpan.TicksPerDay}d"
        : span.ToString("c", CultureInfo.InvariantCulture);
}
