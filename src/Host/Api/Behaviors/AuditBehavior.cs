using Mediator;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Behaviors;

/// <summary>
/// Records every state-changing message in the tenant's audit trail, refused ones included (with the reason),
/// so "who changed this and when" has an answer.
/// </summary>
internal sealed class AuditBehavior<TMessage, TResponse>(ITenantStore store, TimeProvider clock) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IAudited, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        try
        {
            var response = await next(message, cancellationToken);
            Record(message, true, null);
            return response;
        }
        catch (ApiProblemException e)
        {
            Record(message, false, $"{e.Status}: {e.Detail}");
            throw;
        }
    }

    private void Record(TMessage message, bool succeeded, string? detail) =>
        store.AppendAudit(new AuditEntry(
            message.Caller.Tenant, 0, clock.GetUtcNow(), message.Caller.Actor, message.AuditAction,
            message.Caller.CorrelationId, succeeded, detail));
}
