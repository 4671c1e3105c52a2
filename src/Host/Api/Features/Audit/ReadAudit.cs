using Mediator;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Audit;

/// <summary>The caller's tenant's audit trail, oldest first.</summary>
internal sealed record ReadAudit(Caller Caller) : IQuery<IReadOnlyList<AuditEntryView>>, IApiMessage;

internal sealed record AuditEntryView(long Sequence, DateTimeOffset At, string Actor, string Action, string? CorrelationId, bool Succeeded, string? Detail);

internal sealed class ReadAuditHandler(ITenantStore store) : IQueryHandler<ReadAudit, IReadOnlyList<AuditEntryView>>
{
    public ValueTask<IReadOnlyList<AuditEntryView>> Handle(ReadAudit query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AuditEntryView>>(store.ReadAudit(query.Caller.Tenant)
            .Select(a => new AuditEntryView(a.Sequence, a.At, a.Actor, a.Action, a.CorrelationId, a.Succeeded, a.Detail))
            .ToList());
}
