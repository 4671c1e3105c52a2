using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Runtime;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>An event type with a field of every type, and events bound against it the way ingestion binds them.</summary>
internal static class TypedSamples
{
    /// <summary>every.type { s: string; d: decimal; i: integer; b: bool; at: timestamp; took: duration; cost: money(KWD); note: string? }</summary>
    public static readonly EventSchema EveryType = new("every.type",
    [
        new FieldSchema("s", FieldType.String, false, 0, null),
        new FieldSchema("d", FieldType.Decimal, false, 1, null),
        new FieldSchema("i", FieldType.Integer, false, 2, null),
        new FieldSchema("b", FieldType.Bool, false, 3, null),
        new FieldSchema("at", FieldType.Timestamp, false, 4, null),
        new FieldSchema("took", FieldType.Duration, false, 5, null),
        new FieldSchema("cost", FieldType.Money, false, 6, "KWD"),
        new FieldSchema("note", FieldType.String, true, 7, null),
    ]);

    /// <summary>Full precision and scale, a non-UTC offset, a sub-second duration, non-ASCII text, the optional field absent.</summary>
    public const string EveryTypeJson =
        """{"s":"résumé ✓","d":79228162514264337593543950335,"i":"-42","b":false,"at":"2026-03-01T10:30:00.1234567+05:30","took":"PT1H0.0000001S","cost":{"amount":"1.100","currency":"KWD"}}""";

    /// <summary>The event <paramref name="json"/> binds to under <paramref name="schema"/>, or the binding error.</summary>
    public static (RuleEvent? Event, string? Error) Bind(EventSchema schema, string json, string id = "e1")
    {
        using var document = JsonDocument.Parse(json);
        var e = EventBinder.TryBind(schema, id, "src", "cust-1", StoreSamples.T0, document.RootElement, out var error);
        return (e, error);
    }

    /// <summary>A stored event carrying both forms, as ingestion stores it.</summary>
    public static StoredEvent Typed(EventSchema schema, string json, string id = "e1", string subject = "cust-1") =>
        new("t1", "src", id, schema.Name, subject, StoreSamples.T0, StoreSamples.T0.AddHours(1), 0, json)
        {
            Fields = TypedFields.Encode(schema, Bind(schema, json, id).Event ?? throw new ArgumentException($"sample does not bind: {json}")),
        };
}
