using Mediator;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Tenants;

/// <summary>Admin: issues another API key for an existing tenant (for rotation); shown once.</summary>
internal sealed record IssueApiKey(Caller Caller, string TenantId) : ICommand<ApiKeyIssued>, IAudited
{
    public string AuditAction => $"tenant.key {TenantId}";
}

internal sealed record ApiKeyIssued(string Tenant, string ApiKey, string ApiKeyPrefix, DateTimeOffset CreatedAt);

internal sealed class IssueApiKeyHandler(ITenantStore store, TimeProvider clock) : ICommandHandler<IssueApiKey, ApiKeyIssued>
{
    public ValueTask<ApiKeyIssued> Handle(IssueApiKey command, CancellationToken cancellationToken)
    {
        if (store.FindTenant(command.TenantId) is null) throw ApiProblemException.NotFound($"Tenant '{command.TenantId}' does not exist.");
        var now = clock.GetUtcNow();
        var key = ApiKeys.NewKey();
        store.AddApiKey(new ApiKeyRecord(ApiKeys.Hash(key), command.TenantId, ApiKeys.Prefix(key), now));
        return ValueTask.FromResult(new ApiKeyIssued(command.TenantId, key, ApiKeys.Prefix(key), now));
    }
}
