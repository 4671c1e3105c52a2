namespace RulesBilling.Engine.Storage;

/// <summary>
/// A customer registered through the API. <see cref="Contract"/> and <see cref="ContractVersion"/> are an
/// explicit assignment that overrides the rule set's customer lists; null means "resolve from the rule set".
/// </summary>
public sealed record CustomerRecord(
    string Tenant,
    string Id,
    string? Name,
    string? Contract,
    int? ContractVersion,
    DateTimeOffset CreatedAt);
