using Mediator;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Usage;

/// <summary>
/// Usage of the customer's current contract period (or the one containing <see cref="At"/>): one entry per outcome
/// the contract's pricing charges for in that period, as its invoice preview has lines for.
/// </summary>
internal sealed record GetUsage(Caller Caller, string Customer, DateTimeOffset? At) : IQuery<UsageView>, IApiMessage;

/// <summary>The outcome instances of the period, optionally only of one outcome rule and/or one state.</summary>
internal sealed record ListOutcomes(Caller Caller, string Customer, DateTimeOffset? At, string? Outcome, string? State)
    : IQuery<OutcomeListView>, IApiMessage, IValidatable
{
    public static readonly string[] States = ["billable", "pending", "reversed"];

    public IEnumerable<string> Validate()
    {
        if (State is not null && !States.Contains(State, StringComparer.Ordinal))
        {
            yield return $"'state' must be one of {string.Join(", ", States)} (got '{State}').";
        }
    }
}

/// <summary>The stored events behind one outcome of the customer, identified by outcome name and key.</summary>
internal sealed record GetOutcomeEvents(Caller Caller, string Customer, string Outcome, string Key) : IQuery<OutcomeEventsView>, IApiMessage;

/// <summary>
/// Answers usage from the engine's activity stage (<see cref="CustomerActivity"/>): the same outcome placement as the
/// invoice, as of now (clamped to the period end). Billable + pending in a period is what its invoice will bill.
/// </summary>
internal sealed class UsageQueryHandlers(ITenantStore tenants, IBillingStore billing, RuleSetCatalog catalog, TimeProvider clock) :
    IQueryHandler<GetUsage, UsageView>,
    IQueryHandler<ListOutcomes, OutcomeListView>,
    IQueryHandler<GetOutcomeEvents, OutcomeEventsView>
{
    public ValueTask<UsageView> Handle(GetUsage query, CancellationToken cancellationToken)
    {
        var tenant = query.Caller.Tenant;
        Customers.Customers.RequireKnown(tenants, billing, tenant, query.Customer);
        var a = InPeriod(tenant, query.Customer, query.At);
        var (all, allExcluded) = (a.Outcomes, a.Excluded);
        // An aggregation that fails (a weighted-sum level below zero, RB0914) fails the invoice the same way: report it.
        IReadOnlyList<AggregatedUsage> aggregated;
        RatingErrorView? aggregateError = null;
        try
        {
            aggregated = AggregatedUsages.Of(a);
        }
        catch (RulesBilling.Dsl.Model.RuleEvaluationException ex)
        {
            aggregated = [];
            aggregateError = new RatingErrorView("", $"pricing of contract '{a.Period.Contract}'", ex.Code, ex.Message);
        }
        var outcomes = a.Billed.Order(StringComparer.Ordinal).Select(name =>
        {
            var instances = all.Where(o => o.Outcome == name).ToList();
            var excluded = allExcluded.Where(x => x.Outcome == name).ToList();
            return new OutcomeUsageView(
                name,
                Tally.Of(instances.Where(o => o.State == OutcomeState.Billable)),
                Tally.Of(instances.Where(o => o.State == OutcomeState.Pending)),
                Tally.Of(instances.Where(o => o.State == OutcomeState.Reversed)),
                excluded.Count,
                new SortedDictionary<string, int>(
                    excluded.GroupBy(x => x.Reason).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), StringComparer.Ordinal))
            {
                Aggregated = aggregated.Any(u => u.Outcome == name) ? aggregated.Where(u => u.Outcome == name).ToList() : null,
            };
        }).ToList();
        var costs = a.Segments.SelectMany(s => s.Costs)
            .GroupBy(c => (Outcome: c.Outcome ?? "", c.Currency))
            .Select(g => new CostView(g.First().Outcome, g.Key.Currency, g.Sum(c => c.Amount), g.Sum(c => c.Events)))
            .OrderBy(c => c.Outcome ?? "", StringComparer.Ordinal).ThenBy(c => c.Currency, StringComparer.Ordinal)
            .ToList();
        var errors = a.Errors.Distinct()
            .OrderBy(e => e.EventId, StringComparer.Ordinal).ThenBy(e => e.Rule, StringComparer.Ordinal)
            .Select(RatingErrorView.From).ToList();
        if (aggregateError is not null) errors.Add(aggregateError);
        return ValueTask.FromResult(new UsageView(
            query.Customer, a.Period.Contract, a.Period.Period.From, a.Period.Period.To, a.AsOf, outcomes, costs, errors));
    }

    public ValueTask<OutcomeListView> Handle(ListOutcomes query, CancellationToken cancellationToken)
    {
        Customers.Customers.RequireKnown(tenants, billing, query.Caller.Tenant, query.Customer);
        var a = InPeriod(query.Caller.Tenant, query.Customer, query.At);
        // Outcomes the contract does not bill are not this customer's usage: preview has no line for them either.
        var billed = a.Billed;
        var outcomes = a.Outcomes.Where(o => billed.Contains(o.Outcome)).Select(OutcomeView.From)
            .Where(o => (query.Outcome is null || o.Outcome == query.Outcome) && (query.State is null || o.State == query.State))
            .ToList();
        return ValueTask.FromResult(new OutcomeListView(query.Customer, a.Period.Contract, a.Period.Period.From, a.Period.Period.To, a.AsOf, outcomes));
    }

    public ValueTask<OutcomeEventsView> Handle(GetOutcomeEvents query, CancellationToken cancellationToken)
    {
        var tenant = query.Caller.Tenant;
        Customers.Customers.RequireKnown(tenants, billing, tenant, query.Customer);
        var rules = catalog.Require(tenant).RuleSet;
        if (rules.Outcomes.All(o => o.Name != query.Outcome))
        {
            var known = string.Join(", ", rules.Outcomes.Select(o => o.Name).Order(StringComparer.Ordinal));
            throw ApiProblemException.NotFound($"Outcome '{query.Outcome}' is not in the rule set in force (outcomes: {known}).");
        }
        var stored = billing.ReadEvents(tenant, query.Customer).ToList();
        var instances = CustomerActivity.From(rules, query.Customer, stored).Instances(query.Outcome, query.Key, clock.GetUtcNow());
        if (instances.Count == 0)
        {
            throw ApiProblemException.NotFound($"Customer '{query.Customer}' has no '{query.Outcome}' outcome with key '{query.Key}'.");
        }
        return ValueTask.FromResult(OutcomeEventsView.Of(query.Customer, query.Outcome, query.Key, instances, stored));
    }

    /// <summary>The activity of the contract period containing <paramref name="at"/> (default now), as of now.</summary>
    private PeriodActivity InPeriod(string tenant, string customer, DateTimeOffset? at)
    {
        var rules = catalog.Require(tenant).RuleSet;
        var now = clock.GetUtcNow();
        var when = at ?? now;
        var activity = CustomerActivity.From(rules, customer, billing.ReadEvents(tenant, customer));
        var period = activity.PeriodAt(when, tenants.ListContractAssignments(tenant, customer))
            ?? throw ApiProblemException.Unprocessable($"No contract governs customer '{customer}' at {UtcTimestamp.Format(when)}.");
        return activity.InPeriod(period, now);
    }
}
