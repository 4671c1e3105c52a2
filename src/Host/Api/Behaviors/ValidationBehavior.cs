using Mediator;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Behaviors;

/// <summary>Refuses an invalid message with 400 listing every problem, before its handler can write anything.</summary>
internal sealed class ValidationBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IValidatable, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var errors = message.Validate().ToList();
        if (errors.Count > 0)
        {
            throw ApiProblemException.BadRequest(
                string.Join(" ", errors),
                new Dictionary<string, object?> { ["errors"] = errors });
        }
        return next(message, cancellationToken);
    }
}
