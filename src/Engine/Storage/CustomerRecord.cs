namespace RulesBilling.Engine.Storage;

/// <summary>
/// A customer registered through the API. Its contract assignments are kept separately, effective-dated
/// (<see cref="ITenantStore.ListContractAssignments"/>).
/// </summary>
public sealed record CustomerRecord(
    string Tenant,
    string Id,
    string? Name,
    DateTimeOffset CreatedAt);
