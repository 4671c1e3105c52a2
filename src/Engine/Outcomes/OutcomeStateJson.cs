using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// The documents of the stored outcome state: a key group (references to its events, so it can be recomputed alone
/// when an event joins it, and its detected outcomes; encoded by <see cref="GroupEntryCodec"/>) and an event's own exclusions (JSON). Entry names: <c>g␟outcome␟key</c> and
/// <c>e␟source/id</c>; an outcome name is an identifier, so the separator cannot be part of it.
/// </summary>
internal static class OutcomeStateJson
{
    private const char Separator = '\u001f';

    public static string GroupEntry(string outcome, string key) => "g" + Separator + outcome + Separator + key;

    public static string EventEntry(string eventRef) => "e" + Separator + eventRef;

    public static string Serialize(DetectionDocument detection) => JsonSerializer.Serialize(detection);

    /// <summary>The detection of an event entry (group entries: <see cref="GroupEntryCodec"/>).</summary>
    public static OutcomeDetection Detection(string json) => EventDetection(json).Detection;

    /// <summary>The detection of an event entry and the event's time (null when the entry predates recording it).</summary>
    /// <param name="shared">Pools the repeated strings of a customer's entries; null decodes every string anew.</param>
    public static (OutcomeDetection Detection, DateTimeOffset? Time) EventDetection(string json, SharedStrings? shared = null)
    {
        // A period close reads one event entry per excluded event: read the usual shape by hand, anything else with
        // the serializer (reflection over the records costs about as much as the rest of the close's state read).
        if (TryReadEventEntry(json, shared) is { } read) return read;
        var document = JsonSerializer.Deserialize<DetectionDocument>(json) ?? throw new InvalidOperationException("empty outcome state entry");
        return (document.ToDetection(), document.Time);
    }

    private static (OutcomeDetection Detection, DateTimeOffset? Time)? TryReadEventEntry(string json, SharedStrings? shared)
    {
        var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
        var excluded = new List<ExcludedEvent>();
        var errors = new List<RatingError>();
        DateTimeOffset? time = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var property = r.GetString();
            r.Read();
            switch (property)
            {
                // An event's own entry never holds outcomes (placement yields none); anything else is read the slow way.
                case "Outcomes" when r.TokenType == JsonTokenType.StartArray && r.Read() && r.TokenType == JsonTokenType.EndArray:
                    break;
                case "Excluded" when r.TokenType == JsonTokenType.StartArray:
                    while (r.Read() && r.TokenType == JsonTokenType.StartObject)
                    {
                        if (Strings(ref r, 4, ["EventId", "Outcome", "Reason", "Detail"]) is not [{ } id, { } outcome, { } reason, var detail]) return null;
                        excluded.Add(shared is null ? new ExcludedEvent(id, outcome, reason, detail)
                            : new ExcludedEvent(shared.Get(id), shared.Get(outcome), shared.Get(reason), shared.GetOrNull(detail)));
                    }
                    if (r.TokenType != JsonTokenType.EndArray) return null;
                    break;
                case "Errors" when r.TokenType == JsonTokenType.StartArray:
                    while (r.Read() && r.TokenType == JsonTokenType.StartObject)
                    {
                        if (Strings(ref r, 5, ["Customer", "EventId", "Rule", "Code", "Message"]) is not [{ } customer, { } eventId, { } rule, { } code, { } message]) return null;
                        errors.Add(shared is null ? new RatingError(customer, eventId, rule, code, message)
                            : new RatingError(shared.Get(customer), shared.Get(eventId), shared.Get(rule), shared.Get(code), message));
                    }
                    if (r.TokenType != JsonTokenType.EndArray) return null;
                    break;
                case "Time":
                    if (r.TokenType == JsonTokenType.Null) time = null;
                    else if (r.TokenType == JsonTokenType.String && r.TryGetDateTimeOffset(out var at)) time = at;
                    else return null;
                    break;
                default:
                    return null;
            }
        }
        return r.TokenType == JsonTokenType.EndObject ? (new OutcomeDetection([], excluded, errors), time) : null;
    }

    /// <summary>An object of string (or null) properties, by name; null when it has another property or another kind of value.</summary>
    private static string?[]? Strings(ref Utf8JsonReader r, int count, string[] names)
    {
        var values = new string?[count];
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var index = Array.IndexOf(names, r.GetString());
            if (index < 0 || !r.Read()) return null;
            if (r.TokenType == JsonTokenType.String) values[index] = r.GetString();
            else if (r.TokenType != JsonTokenType.Null) return null;
        }
        return r.TokenType == JsonTokenType.EndObject ? values : null;
    }

    /// <summary>
    /// A key group's event as its entry references it: the identity (which finds the stored event, whose data binds it
    /// again when the group changes) and the event time (which places the group's exclusions and errors in a period).
    /// The entry never copies the event's data: the store holds it once, with the event.
    /// </summary>
    internal sealed record MemberEvent(string Source, string Id, DateTimeOffset Time)
    {
        public static MemberEvent Of(StoredEvent e) => new(e.Source, e.Id, e.Time);

        public string Ref => EventRef.Of(Source, Id);
    }

    /// <param name="Version">The tenant change version at which the group last changed (see IOutcomeStateStore.Touch).</param>
    internal sealed record GroupDocument(
        List<MemberEvent> Members, List<MemberEvent> Reversals, List<OutcomeInstance> Outcomes, List<ExcludedEvent> Excluded, List<RatingError> Errors, long Version)
        : DetectionDocument(Outcomes, Excluded, Errors)
    {
        /// <summary>The events that disqualify the group's key (docs/dsl-spec.md §7.8); empty for most groups.</summary>
        public List<MemberEvent> Disqualifiers { get; init; } = [];
    }

    internal record DetectionDocument(List<OutcomeInstance> Outcomes, List<ExcludedEvent> Excluded, List<RatingError> Errors)
    {
        public static DetectionDocument Of(OutcomeDetection d) => new([.. d.Outcomes], [.. d.Excluded], [.. d.Errors]);

        /// <summary>
        /// An event entry's event time, so a period close can place the event's exclusions without reading the event
        /// (null in entries written before it was recorded: readers then recompute from the events).
        /// </summary>
        public DateTimeOffset? Time { get; init; }

        // Dimensions come back as a plain dictionary; the detector's are ordinal-sorted, and consumers iterate them.
        public OutcomeDetection ToDetection() => new(
            Outcomes.Select(o => o with { Dimensions = new SortedDictionary<string, string?>(o.Dimensions.ToDictionary(), StringComparer.Ordinal) }).ToList(),
            Excluded,
            Errors);
    }
}
