namespace RulesBilling.Engine.Storage;

/// <summary>A tenant of a hosted engine: every event, customer, rule set and invoice belongs to exactly one.</summary>
public sealed record TenantRecord(string Id, string Name, DateTimeOffset CreatedAt);
