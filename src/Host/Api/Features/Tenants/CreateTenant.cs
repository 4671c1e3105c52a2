using Mediator;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Tenants;

/// <summary>Admin: creates a tenant and its first API key. The key is in the response and nowhere else.</summary>
internal sealed record CreateTenant(Caller Caller, string Id, string? Name) : ICommand<TenantCreated>, IValidatable, IAudited
{
    public string AuditAction => $"tenant.create {Id}";

    public IEnumerable<string> Validate() => Identifiers.Check("id", Id);
}

internal sealed record TenantCreated(string Id, string Name, DateTimeOffset CreatedAt, string ApiKey, string ApiKeyPrefix);

internal sealed class CreateTenantHandler(ITenantStore store, TimeProvider clock) : ICommandHandler<CreateTenant, TenantCreated>
{
    public ValueTask<TenantCreated> Handle(CreateTenant command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tenant = new TenantRecord(command.Id, command.Name ?? command.Id, now);
        if (!store.AddTenant(tenant)) throw ApiProblemException.Conflict($"Tenant '{command.Id}' already exists.");
        var key = ApiKeys.NewKey();
        store.AddApiKey(new ApiKeyRecord(ApiKeys.Hash(key), tenant.Id, ApiKeys.Prefix(key), now));
        return ValueTask.FromResult(new TenantCreated(tenant.Id, tenant.Name, now, key, ApiKeys.Prefix(key)));
    }
}
