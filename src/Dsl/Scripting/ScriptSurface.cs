using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Scripting;

/// <summary>What a script can read: an event (typed from its schema) or a charge being rated.</summary>
internal abstract record ScriptSurface;

/// <summary>Outcome and cost scripts: <c>e</c> (the event's data fields) and <c>meta</c> (the envelope).</summary>
internal sealed record EventSurface(EventSchema Schema) : ScriptSurface;

/// <summary>Rating scripts: <c>charge</c> (the outcomes and aggregates) and <c>ctx</c> (period and contract).</summary>
internal sealed record ChargeSurface : ScriptSurface
{
    public static ChargeSurface Instance { get; } = new();
}

/// <summary>The C# type a script returns; <see cref="CSharp"/> is its spelling in the template.</summary>
internal sealed record ScriptResult(string CSharp, string Description)
{
    public static ScriptResult Bool { get; } = new("bool", "bool");
    public static ScriptResult String { get; } = new("string", "string");
    public static ScriptResult OptionalString { get; } = new("string?", "string (or null when absent)");
    public static ScriptResult Decimal { get; } = new("decimal", "decimal");
    public static ScriptResult Timestamp { get; } = new("global::System.DateTimeOffset", "DateTimeOffset");
    public static ScriptResult Duration { get; } = new("global::System.TimeSpan", "TimeSpan");
}
