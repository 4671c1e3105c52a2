namespace RulesBilling.Engine;

/// <summary>
/// An accepted event as persisted. Identity is (Tenant, Source, Id). <see cref="Time"/> is the event time,
/// <see cref="StoredAt"/> the time it was durably stored (from the injected TimeProvider);
/// <see cref="Sequence"/> is a store-assigned, strictly increasing arrival number.
/// <see cref="DataJson"/> is the data exactly as received (kept for audit, export, import and for binding under a
/// later schema); <see cref="Fields"/> is the same data as ingestion typed it, which reads bind from without parsing
/// JSON. It is null for events stored before typing existed, and for events appended without it.
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
    string DataJson)
{
    public TypedFields? Fields { get; init; }

    /// <summary>The CloudEvents extension attributes the event carried, as text by name (rules read <c>event.ext.NAME</c>).</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; init; } = EventExtensions.None;
}
