using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Scripting;

/// <summary>The CloudEvent envelope an event script sees as <c>meta</c>: read-only.</summary>
public sealed class ScriptEventMeta
{
    private readonly RuleEvent _event;

    public ScriptEventMeta(RuleEvent e) => _event = e;

    public string Id => _event.Id;
    public string Source => _event.Source;
    public string Type => _event.Type;
    /// <summary>The customer id.</summary>
    public string Subject => _event.Subject;
    public DateTimeOffset Time => _event.Time;
}
