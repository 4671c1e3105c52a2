namespace RulesBilling.Engine.Ingestion;

/// <summary>What happened to one submitted event.</summary>
public enum EventStatus { Accepted, Duplicate, Rejected }

/// <summary>
/// The result for one event, in input order. <see cref="Index"/> is the event's 0-based position in the input
/// (in a JSON Lines file: among the non-blank lines); <see cref="Line"/> is its 1-based line in a JSON Lines file,
/// else null. <see cref="Source"/> and <see cref="Id"/> are echoed when the envelope had them as strings.
/// <see cref="Reason"/> is set for rejections (a duplicate is not an error and has none).
/// </summary>
public sealed record EventResult(int Index, int? Line, string? Source, string? Id, EventStatus Status, string? Reason)
{
    /// <summary>The 1-based column on <see cref="Line"/> where the JSON stopped parsing; null for any other rejection.</summary>
    public int? Column { get; init; }
}

/// <summary>
/// The outcome of one ingestion call. When <see cref="Error"/> is set the input as a whole was unusable
/// (malformed JSON, batch too large) and nothing was written; otherwise every event has a result.
/// </summary>
public sealed record IngestionResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventResult> Events, string? Error)
{
    public bool Succeeded => Error is null;

    internal static IngestionResult Failed(string error) => new(0, 0, 0, [], error);

    internal static IngestionResult From(IReadOnlyList<EventResult> events) => new(
        events.Count(e => e.Status == EventStatus.Accepted),
        events.Count(e => e.Status == EventStatus.Duplicate),
        events.Count(e => e.Status == EventStatus.Rejected),
        events,
        null);
}
