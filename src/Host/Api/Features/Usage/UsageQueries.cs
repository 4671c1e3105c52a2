using Mediator;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
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

internal sealed class UsageQueryHandlers(ITenantStore tenants, IBillingStore billing, CustomerActivity activity) :
    IQueryHandler<GetUsage, UsageView>,
    IQueryHandler<ListOutcomes, OutcomeListView>,
    IQueryHandler<GetOutcomeEvents, OutcomeEventsView>
{
    public ValueTask<UsageView> Handle(GetUsage query, CancellationToken cancellationToken)
    {
        var tenant = query.Caller.Tenant;
        Customers.Customers.RequireKnown(tenants, billing, tenant, query.Customer);
        var a = activity.InPeriod(tenant, query.Customer, query.At);
        var outcomes = a.Billed.Order(StringComparer.Ordinal).Select(name =>
        {
            var instances = a.Outcomes.Where(o => o.Outcome == name).ToList();
            var excluded = a.Excluded.Where(x => x.Outcome == name).ToList();
            return new OutcomeUsageView(
                name,
                Tally.Of(instances.Where(o => o.State == OutcomeState.Billable)),
                Tally.Of(instances.Where(o => o.State == OutcomeState.Pending)),
                Tally.Of(instances.Where(o => o.State == OutcomeState.Reversed)),
                excluded.Count,
                new SortedDictionary<string, int>(
                    excluded.GroupBy(x => x.Reason).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), StringComparer.Ordinal));
        }).ToList();
        return ValueTask.FromResult(new UsageView(
            query.Customer, a.Period.Contract, a.Period.Period.From, a.Period.Period.To, a.AsOf, outcomes,
            a.Costs.Select(c => new CostView(c.Outcome, c.Currency, c.Amount, c.Events)).ToList(),
            a.Errors.Select(RatingErrorView.From).ToList()));
    }

    public ValueTask<OutcomeListView> Handle(ListOutcomes query, CancellationToken cancellationToken)
    {
        Customers.Customers.RequireKnown(tenants, billing, query.Caller.Tenant, query.Customer);
        var a = activity.InPeriod(query.Caller.Tenant, query.Customer, query.At);
        var outcomes = a.Outcomes.Select(OutcomeView.From)
            .Where(o => (query.Outcome is null || o.Outcome == query.Outcome) && (query.State is null || o.State == query.State))
            .ToList();
        return ValueTask.FromResult(new OutcomeListView(query.Customer, a.Period.Contract, a.Period.Period.From, a.Period.Period.To, a.AsOf, outcomes));
    }

    public ValueTask<OutcomeEventsView> Handle(GetOutcomeEvents query, CancellationToken cancellationToken)
    {
        Customers.Customers.RequireKnown(tenants, billing, query.Caller.Tenant, query.Customer);
        var (instances, events) = activity.Instances(query.Caller.Tenant, query.Customer, query.Outcome, query.Key);
        var views = instances.Select(o =>
        {
            var roles = new List<(string Role, string Ref)> { ("counted", EventRef.Of(o.EventSource, o.EventId)) };
            roles.AddRange(o.DuplicateEventIds.Select(d => ("duplicate", d)));
            if (o.ReversedByEventId is { } reversal) roles.Add(("reversal", reversal));
            return new OutcomeInstanceEventsView(OutcomeView.From(o),
                roles.Where(r => events.ContainsKey(r.Ref)).Select(r => OutcomeEventView.From(r.Role, events[r.Ref])).ToList());
        }).ToList();
        return ValueTask.FromResult(new OutcomeEventsView(query.Customer, query.Outcome, query.Key, views));
    }
}
