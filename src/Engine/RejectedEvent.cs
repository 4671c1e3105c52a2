namespace RulesBilling.Engine;

/// <summary>An event that failed validation, kept with the reason so it can be replayed after the rules are fixed.</summary>
public sealed record RejectedEvent(
    string Tenant,
    string RejectionId,
    string? Source,
    string? Id,
    string? Type,
    string RawJson,
    string Reason,
    DateTimeOffset RejectedAt,
    int Attempts);
