using Mediator;
using RulesBilling.Host.Api.Features.Webhooks;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Endpoints;

internal static class WebhookEndpoints
{
    internal sealed record CreateWebhookRequest(string Url, IReadOnlyList<string> Events, IReadOnlyList<int>? Thresholds = null, int? CreditsLowPercent = null);

    public static void MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/webhooks").WithTags("Webhooks");

        group.MapPost("/", async (HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var body = await RequestBody.ReadJsonAsync<CreateWebhookRequest>(http.Request, ct);
                var created = await sender.Send(new CreateWebhook(http.Caller(), body.Url, body.Events, body.Thresholds ?? [], body.CreditsLowPercent), ct);
                return Results.Created($"/v1/webhooks/{created.Id}", created);
            })
            .Accepts<CreateWebhookRequest>(RequestBody.Json)
            .Produces<WebhookView>(StatusCodes.Status201Created)
            .WithSummary("Subscribe a URL to event types (see docs/webhooks.md); the answer holds the signing secret, shown once.");

        group.MapGet("/", async (HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListWebhooks(http.Caller()), ct)))
            .Produces<IReadOnlyList<WebhookView>>()
            .WithSummary("List the tenant's webhook subscriptions.");

        group.MapDelete("/{id}", async (string id, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteWebhook(http.Caller(), id), ct);
                return Results.NoContent();
            })
            .Produces(StatusCodes.Status204NoContent)
            .WithSummary("Delete a subscription; its pending deliveries fail on their next attempt.");

        group.MapGet("/deliveries", async (string? status, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListDeliveries(http.Caller(), status), ct)))
            .Produces<IReadOnlyList<DeliveryView>>()
            .WithSummary("Every delivery with each attempt (time, status code or error); ?status=pending|delivered|failed.");
    }
}
