namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Who is calling: the tenant every query is scoped to, the actor recorded in the audit trail (a key prefix,
/// never the key) and the request's correlation id.
/// </summary>
internal sealed record Caller(string Tenant, string Actor, string CorrelationId)
{
    public const string AdminTenant = "*admin*";
}
