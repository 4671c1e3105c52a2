namespace RulesBilling.Engine.Storage;

/// <summary>
/// An API key of a tenant. Only the SHA-256 hash (lower-case hex) of the key is kept; <see cref="Prefix"/>
/// (the first characters of the key) lets people tell their keys apart without revealing them.
/// </summary>
public sealed record ApiKeyRecord(string KeyHash, string Tenant, string Prefix, DateTimeOffset CreatedAt);
