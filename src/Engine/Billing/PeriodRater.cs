using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Costs;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Rates one customer's contract period from its events: detects outcomes (as of the period end), cuts them
/// into the period's version segments, aggregates costs, and has <see cref="InvoiceAssembler"/> draft the invoice.
/// </summary>
internal static class PeriodRater
{
    public static RatedPeriod Rate(string tenant, string customer, CompiledRuleSet rules, BoundEvents events, ContractPeriod period)
    {
        var detection = OutcomeDetector.Detect(rules, events, period.Period.To);
        var times = EventTimes(events);
        var errors = detection.Errors.Where(e => Touches(e, period.Period, rules, times)).ToList();

        var segments = new List<InvoiceSegment>();
        foreach (var segment in period.Segments)
        {
            var range = segment.Range;
            var plan = PlanOf(rules, segment.Version);

            // Billable outcomes go where they are billed; pending and reversed ones are explained where they happened.
            var outcomes = detection.Outcomes.Where(o => o.Customer == customer && (o.State == OutcomeState.Billable
                ? range.Contains(o.BillableAt)
                : range.Contains(o.EventTime))).ToList();
            var excluded = detection.Excluded.Where(x =>
                x.Reason is not (ExclusionReasons.ReversedWithinWindow or ExclusionReasons.PendingValidation)
                && times.TryGetValue(x.EventId, out var at) && at.Customer == customer && range.Contains(at.Time)).ToList();

            segments.Add(new InvoiceSegment(segment.Version, plan, range.From, range.To, outcomes, excluded,
                CostsOf(rules, events, range, customer, errors)));
        }

        var currencies = period.Segments.Select(s => s.Version.Currency).Distinct().ToList();
        if (currencies.Count != 1)
        {
            errors.Add(new RatingError(customer, "", $"pricing of contract '{period.Contract}'", "RB0402",
                $"contract '{period.Contract}' changes currency inside the period {Show(period.Period)} ({string.Join(", ", currencies)}); one invoice has one currency"));
            return new RatedPeriod(period, null, errors);
        }

        // The checker guarantees this (RB0402); a rule set that slipped past it is a rating error, never a crash.
        if (period.Segments.Select(s => PlanOf(rules, s.Version)).FirstOrDefault(p => p.Currencies.Count > 0 && !p.Currencies.Contains(currencies[0])) is { } foreign)
        {
            errors.Add(new RatingError(customer, "", $"pricing of contract '{period.Contract}'", "RB0402",
                $"pricing '{foreign.Name}' has no prices in {currencies[0]}, the currency of contract '{period.Contract}'"));
            return new RatedPeriod(period, null, errors);
        }

        var request = new InvoiceRequest(tenant, customer, period.Contract, currencies[0], period.Period.From, period.Period.To, segments, rules.Hash);
        try
        {
            return new RatedPeriod(period, InvoiceAssembler.Assemble(request), errors);
        }
        catch (RuleEvaluationException ex)
        {
            // A fault in pricing (overflow, a guard reading cost in a foreign currency…) concerns the whole invoice.
            errors.Add(new RatingError(customer, "", $"pricing of contract '{period.Contract}'", ex.Code, ex.Message));
            return new RatedPeriod(period, null, errors);
        }
    }

    /// <summary>The pricing a contract version bills with; a dangling reference is a clear error, not a missing line.</summary>
    public static PricingPlan PlanOf(CompiledRuleSet rules, ContractVersion version) =>
        rules.Pricings.TryGetValue(version.Pricing, out var plan)
            ? plan
            : throw new BillingException($"contract '{version.Contract}' version {version.Version} uses unknown pricing '{version.Pricing}'");

    /// <summary>The customer's costs in <paramref name="range"/>, as guards read them; cost errors go to <paramref name="errors"/> when given.</summary>
    public static IReadOnlyList<SegmentCost> CostsOf(
        CompiledRuleSet rules, BoundEvents events, BillingPeriodRange range, string customer, List<RatingError>? errors = null)
    {
        var costs = CostAggregator.Aggregate(rules, events, range);
        errors?.AddRange(costs.Errors.Where(e => e.Customer == customer));
        return costs.Totals.Where(c => c.Customer == customer).Select(c => new SegmentCost(c.Outcome, c.Currency, c.Amount)).ToList();
    }

    /// <summary>
    /// Whether an error can change this period: its event happened in it, or — for held outcomes and their
    /// reversals — the validation window ends in it.
    /// </summary>
    private static bool Touches(RatingError error, BillingPeriodRange period, CompiledRuleSet rules, IReadOnlyDictionary<string, (string Customer, DateTimeOffset Time)> times)
    {
        if (!times.TryGetValue(error.EventId, out var at)) return true;
        if (period.Contains(at.Time)) return true;
        var hold = rules.Outcomes.FirstOrDefault(o => o.Name == error.Rule)?.Hold;
        return hold is not null && at.Time < period.To && at.Time + hold.Window >= period.From;
    }

    private static Dictionary<string, (string Customer, DateTimeOffset Time)> EventTimes(BoundEvents events)
    {
        var times = new Dictionary<string, (string, DateTimeOffset)>(StringComparer.Ordinal);
        foreach (var e in events.Events) times[EventRef.Of(e.Source, e.Id)] = (e.Subject, e.Time);
        foreach (var f in events.Failures) times[f.EventId] = (f.Customer, f.Time);
        return times;
    }

    private static string Show(BillingPeriodRange range) => $"{UtcTimestamp.Format(range.From)}..{UtcTimestamp.Format(range.To)}";
}
