using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Behaviors;

/// <summary>Every API request message carries its caller, so handlers never reach for ambient state to find the tenant.</summary>
internal interface IApiMessage
{
    Caller Caller { get; }
}

/// <summary>A message that can say what is wrong with it before any handler runs.</summary>
internal interface IValidatable
{
    /// <summary>One readable sentence per problem; empty when the message is valid.</summary>
    IEnumerable<string> Validate();
}

/// <summary>A state-changing message: it is written to the tenant's audit trail under <see cref="AuditAction"/>.</summary>
internal interface IAudited : IApiMessage
{
    string AuditAction { get; }
}
