namespace RulesBilling.Dsl.Model;

/// <summary>
/// A CloudEvent whose <c>data</c> has been validated against its <see cref="EventSchema"/>:
/// the typed field values sit in <see cref="Fields"/> at each field's slot.
/// </summary>
public sealed class RuleEvent
{
    public RuleEvent(string id, string source, string type, string subject, DateTimeOffset time, object?[] fields)
    {
        Id = id;
        Source = source;
        Type = type;
        Subject = subject;
        Time = time;
        Fields = fields;
    }

    public string Id { get; }
    public string Source { get; }
    public string Type { get; }
    /// <summary>The customer id.</summary>
    public string Subject { get; }
    public DateTimeOffset Time { get; }
    public object?[] Fields { get; }

    /// <summary>
    /// The CloudEvents extension attributes the event carried (e.g. <c>traceparent</c>), by name, as text; rules read
    /// them as <c>event.ext.NAME</c>. Empty when it carried none.
    /// </summary>
    public IReadOnlyDictionary<string, string> Extensions { get; init; } = NoExtensions;

    private static readonly IReadOnlyDictionary<string, string> NoExtensions = new Dictionary<string, string>();
}
