using System.Diagnostics;
using Mediator;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Behaviors;

/// <summary>One structured log event per handled message: its name, tenant, outcome and duration.</summary>
internal sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> log) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IApiMessage, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            log.LogInformation("Handled {Message} for tenant {Tenant} in {ElapsedMs:0.0} ms",
                typeof(TMessage).Name, message.Caller.Tenant, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (ApiProblemException e)
        {
            log.LogInformation("Refused {Message} for tenant {Tenant}: {Status} {Detail}",
                typeof(TMessage).Name, message.Caller.Tenant, e.Status, e.Detail);
            throw;
        }
    }
}
