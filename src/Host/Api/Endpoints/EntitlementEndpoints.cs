using Mediator;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Host.Api.Features.Entitlements;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Endpoints;

internal static class EntitlementEndpoints
{
    internal sealed record CheckRequest(decimal? Quantity = null);

    public static void MapEntitlementEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/customers").WithTags("Entitlements and balances");

        group.MapGet("/{customer}/entitlements", async (string customer, DateTimeOffset? at, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetEntitlements(http.Caller(), customer, at), ct)))
            .Produces<CustomerEntitlements>()
            .WithSummary("Every feature now (or at ?at=, ISO 8601): access, static values, metered usage, limit, remaining and reset time (from memory).")
            .WithDescription("?at= evaluates the grants of the contract version in force at that instant and the usage of the reset window " +
                "containing it, as 'rulesbilling entitlements --at' does. The check and balance routes always answer for now.");

        group.MapGet("/{customer}/entitlements/{feature}", async (string customer, string feature, DateTimeOffset? at, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetEntitlement(http.Caller(), customer, feature, at), ct)))
            .Produces<FeatureEntitlement>()
            .WithSummary("One feature now (or at ?at=).");

        group.MapPost("/{customer}/entitlements/{feature}/check", async (string customer, string feature, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var body = http.Request.ContentType is not null ? await RequestBody.ReadJsonAsync<CheckRequest>(http.Request, ct) : new CheckRequest();
                return Results.Ok(await sender.Send(new CheckEntitlement(http.Caller(), customer, feature, body.Quantity ?? 1m), ct));
            })
            .Accepts<CheckRequest>(RequestBody.Json)
            .Produces<UsageCheck>()
            .WithSummary("May the customer use `quantity` (default 1) more units now? allowed=false past a hard limit; a soft limit reports overage.");

        group.MapGet("/{customer}/balance", async (string customer, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetBalance(http.Caller(), customer), ct)))
            .Produces<CustomerBalance>()
            .WithSummary("Prepaid credit: granted, committed by the open period, pending (outcomes in their validation window) and available.");
    }
}
