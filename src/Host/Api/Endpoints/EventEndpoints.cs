using Mediator;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Host.Api.Features.Events;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Endpoints;

internal static class EventEndpoints
{
    public const string Single = "application/cloudevents+json";
    public const string Batch = "application/cloudevents-batch+json";

    /// <summary>Binary content mode: the attributes are ce-* headers, the body is the event's data.</summary>
    public const string Binary = "application/json";

    public static void MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/events/rejected", async (HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListRejectedEvents(http.Caller()), ct)))
            .WithTags("Events")
            .Produces<IReadOnlyList<RejectedEventView>>()
            .WithSummary("The rejected events of the tenant, with the reason and the event as received.");

        app.MapPost("/v1/events/rejected/replay", async (HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ReplayRejectedEvents(http.Caller()), ct)))
            .WithTags("Events")
            .Produces<IngestionView>()
            .WithSummary("Re-validate every rejected event against the rule set in force; those that pass are ingested.")
            .WithDescription("Dedup still applies. Events that still fail stay rejected with their new reason and one more attempt.");

        app.MapPost("/v1/events", async (HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var mediaType = RequestBody.MediaType(http.Request);
                if (mediaType is not (Single or Batch) && BinaryCloudEvent.Applies(http.Request))
                {
                    var structured = await BinaryCloudEvent.ReadAsStructuredAsync(http.Request, ct);
                    return Results.Ok(await sender.Send(new IngestEvents(http.Caller(), structured, false), ct));
                }
                if (mediaType == Binary)
                {
                    throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                        "application/json is CloudEvents binary mode: send the attributes as ce-specversion, ce-id, ce-source, ce-type, " +
                        $"ce-subject and ce-time headers and the data as the body, or the whole event as {Single}.");
                }
                RequestBody.RequireMediaType(http.Request, Single, Batch);
                using var reader = new StreamReader(http.Request.Body);
                var body = await reader.ReadToEndAsync(ct);
                return Results.Ok(await sender.Send(new IngestEvents(http.Caller(), body, mediaType == Batch), ct));
            })
            .WithTags("Events")
            .Produces<IngestionView>()
            .WithSummary($"Send one CloudEvent ({Single}), a batch of at most {EventIngestor.MaxBatchSize} ({Batch}), or one event in binary mode (ce-* headers).")
            .WithDescription("Idempotent on (source, id). The answer counts accepted, duplicate and rejected events and gives the reason for " +
                "each rejection. A single rejected event is answered 422; a batch is answered 200 with per-event results.");
    }
}
