using Mediator;
using RulesBilling.Host.Api.Features.Usage;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Endpoints;

internal static class UsageEndpoints
{
    public static void MapUsageEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/customers/{customer}").WithTags("Usage and outcomes");

        group.MapGet("/usage", async (string customer, DateTimeOffset? at, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetUsage(http.Caller(), customer, at), ct)))
            .Produces<UsageView>()
            .WithSummary("Usage of the current period (or the one containing ?at=): per outcome billable, pending, reversed and excluded counts and quantities; costs.")
            .WithDescription("Outcomes are judged as of now (or the period end when it has passed): pending = still inside its validation window. " +
                "Quantities and costs are decimal strings; costs are exact sums, not rounded.");

        group.MapGet("/outcomes", async (string customer, DateTimeOffset? at, string? outcome, string? state, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListOutcomes(http.Caller(), customer, at, outcome, state), ct)))
            .Produces<OutcomeListView>()
            .WithSummary("The outcome instances of the current period (or the one containing ?at=), optionally ?outcome= and ?state=billable|pending|reversed.");

        group.MapGet("/outcomes/{outcome}/{**key}", async (string customer, string outcome, string key, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetOutcomeEvents(http.Caller(), customer, outcome, key), ct)))
            .Produces<OutcomeEventsView>()
            .WithSummary("The events behind one outcome (its counted event, duplicates and reversal, with their data). Keys may contain '/' (an outcome without key is keyed 'source/id').");
    }
}
