using Mediator;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Events;

/// <summary>The tenant's rejected events, each with the reason and the event exactly as it was received.</summary>
internal sealed record ListRejectedEvents(Caller Caller) : IQuery<IReadOnlyList<RejectedEventView>>, IApiMessage;

internal sealed record RejectedEventView(string RejectionId, string? Source, string? Id, string? Type, string Reason, string RejectedAt, int Attempts, string Event);

/// <summary>
/// Re-validates every rejected event against the rule set in force (after the rules were fixed): those that now pass
/// are ingested (dedup still applies) and leave the rejected store; the others stay with their new reason.
/// </summary>
internal sealed record ReplayRejectedEvents(Caller Caller) : ICommand<IngestionView>, IApiMessage;

internal sealed class ListRejectedEventsHandler(IBillingStore store) : IQueryHandler<ListRejectedEvents, IReadOnlyList<RejectedEventView>>
{
    public ValueTask<IReadOnlyList<RejectedEventView>> Handle(ListRejectedEvents query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<RejectedEventView>>(store.ReadRejected(query.Caller.Tenant)
            .OrderBy(r => r.RejectedAt).ThenBy(r => r.RejectionId, StringComparer.Ordinal)
            .Select(r => new RejectedEventView(r.RejectionId, r.Source, r.Id, r.Type, r.Reason, UtcTimestamp.Format(r.RejectedAt), r.Attempts, r.RawJson))
            .ToList());
}

internal sealed class ReplayRejectedEventsHandler(RuleSetCatalog catalog, EventIngestor ingestor) : ICommandHandler<ReplayRejectedEvents, IngestionView>
{
    public ValueTask<IngestionView> Handle(ReplayRejectedEvents command, CancellationToken cancellationToken)
    {
        var rules = catalog.Require(command.Caller.Tenant).RuleSet;
        var result = ingestor.Replay(command.Caller.Tenant, rules);
        if (result.Error is { } error) throw ApiProblemException.BadRequest(char.ToUpperInvariant(error[0]) + error[1..] + ".");
        return ValueTask.FromResult(IngestionView.From(result));
    }
}
