namespace RulesBilling.Engine.Storage;

/// <summary>
/// An accepted event as persisted. Identity is (Tenant, Source, Id). <see cref="Time"/> is the event time,
/// <see cref="StoredAt"/> the time it was durably stored (from the injected TimeProvider);
/// <see cref="Sequence"/> is a store-assigned, strictly increasing arrival number.
/// </summary>
public sealed record StoredEvent(
    string Tenant,
    string Source,
    string Id,
    string Type,
    string Subject,
    DateTimeOffset Time,
    DateTimeOffset StoredAt,
    long Sequence,
    string DataJson);
