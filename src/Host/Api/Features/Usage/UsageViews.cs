using System.Text.Json;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Api.Features.Usage;

/// <summary>A customer's usage in one contract period: per outcome counts and quantities by state, costs and rating errors.</summary>
internal sealed record UsageView(
    string Customer,
    string Contract,
    DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo,
    DateTimeOffset AsOf,
    IReadOnlyList<OutcomeUsageView> Outcomes,
    IReadOnlyList<CostView> Costs,
    IReadOnlyList<RatingErrorView> Errors);

/// <summary>
/// One outcome rule's tally: billable (will be invoiced in this period), pending (inside its validation window as of
/// <see cref="UsageView.AsOf"/>), reversed (within the window), and excluded events by reason.
/// </summary>
internal sealed record OutcomeUsageView(
    string Outcome,
    Tally Billable,
    Tally Pending,
    Tally Reversed,
    int Excluded,
    IReadOnlyDictionary<string, int> ExcludedByReason)
{
    /// <summary>
    /// For an outcome some charge aggregates (docs/dsl-spec.md §9.12: max, unique, weighted sum, per bucket…): the
    /// quantity each such charge reads, which is what its invoice line bills. Absent for outcomes only summed.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RulesBilling.Engine.Activity.AggregatedUsage>? Aggregated { get; init; }
}

internal sealed record Tally(int Count, decimal Quantity)
{
    public static Tally Of(IEnumerable<OutcomeInstance> outcomes)
    {
        var list = outcomes.ToList();
        return new Tally(list.Count, list.Sum(o => o.Quantity));
    }
}

/// <summary>Cost in one currency attributed to an outcome (null: to none), exact (not rounded).</summary>
internal sealed record CostView(string? Outcome, string Currency, decimal Amount, int Events);

internal sealed record RatingErrorView(string Event, string Rule, string Code, string Message)
{
    public static RatingErrorView From(RatingError e) => new(e.EventId, e.Rule, e.Code, e.Message);
}

/// <summary>The outcome instances of one contract period.</summary>
internal sealed record OutcomeListView(
    string Customer,
    string Contract,
    DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo,
    DateTimeOffset AsOf,
    IReadOnlyList<OutcomeView> Outcomes);

/// <summary>One outcome instance: the event that made it ("source/id"), its key, state, billing time and measures.</summary>
internal sealed record OutcomeView(
    string Outcome,
    string Key,
    string State,
    string Event,
    DateTimeOffset EventTime,
    DateTimeOffset BillableAt,
    decimal Quantity,
    decimal? Value,
    string? ValueCurrency,
    IReadOnlyDictionary<string, string?> Dimensions,
    IReadOnlyList<string> Duplicates,
    string? ReversedBy)
{
    public static OutcomeView From(OutcomeInstance o) => new(
        o.Outcome, o.Key, StateName(o.State), EventRef.Of(o.EventSource, o.EventId), o.EventTime, o.BillableAt,
        o.Quantity, o.Value, o.ValueCurrency, o.Dimensions, o.DuplicateEventIds, o.ReversedByEventId);

    public static string StateName(OutcomeState state) => state switch
    {
        OutcomeState.Billable => "billable",
        OutcomeState.Pending => "pending",
        _ => "reversed",
    };
}

/// <summary>The events behind one (outcome, key): every instance, each with its counted, duplicate and reversing events.</summary>
internal sealed record OutcomeEventsView(string Customer, string Outcome, string Key, IReadOnlyList<OutcomeInstanceEventsView> Instances)
{
    /// <summary>The view of the API's drill-down and of <c>rulesbilling explain --outcome</c>: each instance with the stored events in their roles.</summary>
    public static OutcomeEventsView Of(string customer, string outcome, string key, IReadOnlyList<OutcomeInstance> instances, IEnumerable<StoredEvent> stored)
    {
        var events = stored.ToDictionary(e => EventRef.Of(e.Source, e.Id), StringComparer.Ordinal);
        var views = instances.Select(o =>
        {
            var roles = new List<(string Role, string Ref)> { ("counted", EventRef.Of(o.EventSource, o.EventId)) };
            roles.AddRange(o.DuplicateEventIds.Select(d => ("duplicate", d)));
            if (o.ReversedByEventId is { } reversal) roles.Add(("reversal", reversal));
            return new OutcomeInstanceEventsView(OutcomeView.From(o),
                roles.Where(r => events.ContainsKey(r.Ref)).Select(r => OutcomeEventView.From(r.Role, events[r.Ref])).ToList());
        }).ToList();
        return new OutcomeEventsView(customer, outcome, key, views);
    }
}

internal sealed record OutcomeInstanceEventsView(OutcomeView Outcome, IReadOnlyList<OutcomeEventView> Events);

/// <summary>A stored event in the role it plays for an outcome: <c>counted</c>, <c>duplicate</c> or <c>reversal</c>.</summary>
internal sealed record OutcomeEventView(string Role, string Source, string Id, string Type, DateTimeOffset Time, DateTimeOffset StoredAt, JsonElement? Data)
{
    public static OutcomeEventView From(string role, StoredEvent e)
    {
        JsonElement? data = null;
        if (!string.IsNullOrWhiteSpace(e.DataJson))
        {
            using var document = JsonDocument.Parse(e.DataJson);
            data = document.RootElement.Clone();
        }
        return new OutcomeEventView(role, e.Source, e.Id, e.Type, e.Time, e.StoredAt, data);
    }
}
