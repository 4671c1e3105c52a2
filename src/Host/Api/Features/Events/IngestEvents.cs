using Mediator;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Events;

/// <summary>
/// Ingests one CloudEvent or a batch against the tenant's rule set. Idempotent on (source, id): a repeat is counted
/// as a duplicate and changes nothing. Invalid events are rejected with a reason (and kept for replay).
/// </summary>
internal sealed record IngestEvents(Caller Caller, string Body, bool Batch) : ICommand<IngestionView>, IApiMessage;

internal sealed record IngestionView(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventResultView> Events)
{
    public static IngestionView From(IngestionResult result) => new(result.Accepted, result.Duplicates, result.Rejected,
        result.Events.Select(e => new EventResultView(e.Index, e.Source, e.Id, StatusName(e.Status), e.Reason)).ToList());

    private static string StatusName(EventStatus status) => status switch
    {
        EventStatus.Accepted => "accepted",
        EventStatus.Duplicate => "duplicate",
        _ => "rejected",
    };
}

internal sealed record EventResultView(int Index, string? Source, string? Id, string Status, string? Reason);

internal sealed class IngestEventsHandler(RuleSetCatalog catalog, EventIngestor ingestor) : ICommandHandler<IngestEvents, IngestionView>
{
    public ValueTask<IngestionView> Handle(IngestEvents command, CancellationToken cancellationToken)
    {
        var rules = catalog.Require(command.Caller.Tenant).RuleSet;
        var trimmed = command.Body.TrimStart();
        if (trimmed.Length > 0 && command.Batch != trimmed.StartsWith('['))
        {
            throw ApiProblemException.BadRequest(command.Batch
                ? "application/cloudevents-batch+json takes a JSON array of CloudEvents; send one event as application/cloudevents+json."
                : "application/cloudevents+json takes one CloudEvent object; send an array as application/cloudevents-batch+json.");
        }

        var result = ingestor.Ingest(command.Caller.Tenant, command.Body, rules);
        if (result.Error is { } error) throw ApiProblemException.BadRequest(char.ToUpperInvariant(error[0]) + error[1..] + ".");

        var view = IngestionView.From(result);
        if (!command.Batch && result.Rejected == 1)
        {
            var rejected = view.Events[0];
            throw ApiProblemException.Unprocessable($"The event was rejected: {rejected.Reason}",
                new Dictionary<string, object?> { ["accepted"] = 0, ["duplicates"] = 0, ["rejected"] = 1, ["events"] = view.Events });
        }
        return ValueTask.FromResult(view);
    }
}
