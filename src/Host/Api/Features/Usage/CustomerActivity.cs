using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Costs;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Usage;

/// <summary>
/// What one customer's events amount to in one contract period, as of <see cref="AsOf"/>: the outcome instances
/// placed the way invoices place them (billable ones where they are billed, pending and reversed ones where they
/// happened), the events that count towards no outcome with their reason, costs, and rating errors.
/// </summary>
internal sealed record PeriodActivity(
    ContractPeriod Period,
    /// <summary>The outcomes the pricing of the period's contract version(s) charges for: what its invoice can bill.</summary>
    IReadOnlySet<string> Billed,
    DateTimeOffset AsOf,
    IReadOnlyList<OutcomeInstance> Outcomes,
    IReadOnlyList<ExcludedEvent> Excluded,
    IReadOnlyList<CostTotal> Costs,
    IReadOnlyList<RatingError> Errors);

/// <summary>
/// Runs the engine's own detection (<see cref="EventBinding"/>, <see cref="OutcomeDetector"/>,
/// <see cref="ContractResolver"/> with the stored contract assignments, <see cref="CostAggregator"/>) over a customer's
/// stored events, so usage reads exactly what invoices would bill.
/// </summary>
internal sealed class CustomerActivity(IBillingStore billing, ITenantStore tenants, RuleSetCatalog catalog, TimeProvider clock)
{
    /// <summary>The contract period containing <paramref name="at"/> (default now); outcomes are judged as of now or the period end, whichever is first.</summary>
    public PeriodActivity InPeriod(string tenant, string customer, DateTimeOffset? at)
    {
        var rules = catalog.Require(tenant).RuleSet;
        var now = clock.GetUtcNow();
        var when = at ?? now;
        var period = ContractResolver.PeriodAt(rules.Contracts, customer, when, tenants.ListContractAssignments(tenant, customer))
            ?? throw ApiProblemException.Unprocessable($"No contract governs customer '{customer}' at {Engine.Invoicing.UtcTimestamp.Format(when)}.");
        var asOf = now < period.Period.To ? now : period.Period.To;

        var events = EventBinding.Bind(rules, billing.ReadEvents(tenant, customer));
        var detection = OutcomeDetector.Detect(rules, events, asOf);
        var times = events.Events.ToDictionary(e => EventRef.Of(e.Source, e.Id), e => e.Time, StringComparer.Ordinal);
        foreach (var failure in events.Failures) times[failure.EventId] = failure.Time;
        bool Governed(DateTimeOffset t) => period.Segments.Any(s => s.Range.Contains(t));
        bool Happened(string eventId) => times.TryGetValue(eventId, out var t) && Governed(t);

        var outcomes = detection.Outcomes
            .Where(o => o.Customer == customer && Governed(o.State == OutcomeState.Billable ? o.BillableAt : o.EventTime))
            .ToList();
        // Pending and reversed are states of an outcome, listed with the outcomes rather than as exclusions.
        var excluded = detection.Excluded
            .Where(x => x.Reason is not (ExclusionReasons.ReversedWithinWindow or ExclusionReasons.PendingValidation) && Happened(x.EventId))
            .ToList();

        var costs = period.Segments.Select(s => CostAggregator.Aggregate(rules, events, s.Range)).ToList();
        var costTotals = costs.SelectMany(c => c.Totals)
            .Where(c => c.Customer == customer)
            .GroupBy(c => (Outcome: c.Outcome ?? "", c.Currency))
            .Select(g => new CostTotal(customer, g.First().Outcome, g.Key.Currency, g.Sum(c => c.Amount), g.Sum(c => c.Events)))
            .OrderBy(c => c.Outcome ?? "", StringComparer.Ordinal).ThenBy(c => c.Currency, StringComparer.Ordinal)
            .ToList();
        var errors = detection.Errors.Where(e => Happened(e.EventId))
            .Concat(costs.SelectMany(c => c.Errors))
            .Where(e => e.Customer == customer)
            .Distinct()
            .OrderBy(e => e.EventId, StringComparer.Ordinal).ThenBy(e => e.Rule, StringComparer.Ordinal)
            .ToList();
        var billed = period.Segments
            .SelectMany(s => rules.Pricings.TryGetValue(s.Version.Pricing, out var pricing) ? pricing.Charges : [])
            .Select(c => c.Outcome)
            .ToHashSet(StringComparer.Ordinal);
        // Outcomes the contract does not bill are not this customer's usage: preview has no line for them either.
        return new PeriodActivity(period, billed, asOf, outcomes.Where(o => billed.Contains(o.Outcome)).ToList(),
            excluded.Where(x => billed.Contains(x.Outcome)).ToList(), costTotals, errors);
    }

    /// <summary>
    /// Every instance of (<paramref name="outcome"/>, <paramref name="key"/>) among all the customer's events as of
    /// now (several when a dedup window lets the key count again), with the stored events behind each.
    /// </summary>
    public (IReadOnlyList<OutcomeInstance> Instances, IReadOnlyDictionary<string, StoredEvent> Events) Instances(
        string tenant, string customer, string outcome, string key)
    {
        var rules = catalog.Require(tenant).RuleSet;
        if (rules.Outcomes.All(o => o.Name != outcome))
        {
            var known = string.Join(", ", rules.Outcomes.Select(o => o.Name).Order(StringComparer.Ordinal));
            throw ApiProblemException.NotFound($"Outcome '{outcome}' is not in the rule set in force (outcomes: {known}).");
        }
        var stored = billing.ReadEvents(tenant, customer).ToList();
        var detection = OutcomeDetector.Detect(rules, EventBinding.Bind(rules, stored), clock.GetUtcNow());
        var instances = detection.Outcomes.Where(o => o.Customer == customer && o.Outcome == outcome && o.Key == key).ToList();
        if (instances.Count == 0)
        {
            throw ApiProblemException.NotFound($"Customer '{customer}' has no '{outcome}' outcome with key '{key}'.");
        }
        return (instances, stored.ToDictionary(e => EventRef.Of(e.Source, e.Id), StringComparer.Ordinal));
    }
}
