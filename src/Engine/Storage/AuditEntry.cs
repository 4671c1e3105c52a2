namespace RulesBilling.Engine.Storage;

/// <summary>A state-changing request as recorded by the host: who did what, when, and whether it succeeded.</summary>
public sealed record AuditEntry(
    string Tenant,
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? CorrelationId,
    bool Succeeded,
    string? Detail);
