using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Ingestion;
using RulesBilling.Engine.Tests.Storage;

namespace RulesBilling.Engine.Tests.Outcomes;

/// <summary>
/// Binding a stored event from its typed form gives exactly what binding its JSON gives: for generated events under
/// the schema they were ingested with, and under a later schema that retypes, reorders, adds or drops fields.
/// </summary>
public sealed class TypedBindingProperties
{
    private static readonly FieldType[] Types =
        [FieldType.String, FieldType.Decimal, FieldType.Integer, FieldType.Bool, FieldType.Timestamp, FieldType.Duration, FieldType.Money];

    [Property(MaxTest = 300)]
    public bool Typed_binding_equals_json_binding_for_generated_events(
        NonNull<string> text, decimal number, int integer, bool flag, DateTimeOffset at, uint tenthsOfSeconds, byte shape)
    {
        var json = Json(TypedSamples.EveryType, text.Get, number, integer, flag, at, tenthsOfSeconds, shape);
        var (fromJson, _) = TypedSamples.Bind(TypedSamples.EveryType, json);
        if (fromJson is null) return true; // shape left out a required field: nothing is stored typed for it.

        var typed = TypedFields.Encode(TypedSamples.EveryType, fromJson);
        var reread = TypedFields.FromBytes(typed.ToArray());
        return reread is not null && reread.TryBind(TypedSamples.EveryType, out var slots)
            && slots!.SequenceEqual(fromJson.Fields) && SameScale(slots!, fromJson.Fields);
    }

    [Property(MaxTest = 300)]
    public bool Under_a_changed_schema_typed_binding_equals_json_binding(
        NonNull<string> text, decimal number, int integer, bool flag, DateTimeOffset at, uint tenthsOfSeconds, byte shape, int[] changes)
    {
        var json = Json(TypedSamples.EveryType, text.Get, number, integer, flag, at, tenthsOfSeconds, shape);
        var (ingested, _) = TypedSamples.Bind(TypedSamples.EveryType, json);
        if (ingested is null) return true;
        var stored = new StoredEvent("t1", "src", "e1", TypedSamples.EveryType.Name, "cust-1", StoreSamples.T0, StoreSamples.T0, 1, json)
        {
            Fields = TypedFields.Encode(TypedSamples.EveryType, ingested),
        };

        var later = TestRules.With(Changed(TypedSamples.EveryType, changes ?? []));
        var typed = EventBinding.Bind(later, [stored]);
        var untyped = EventBinding.Bind(later, [stored with { Fields = null }]);

        return typed.Failures.SequenceEqual(untyped.Failures)
            && typed.Events.Count == untyped.Events.Count
            && typed.Events.Zip(untyped.Events).All(p => p.First.Fields.SequenceEqual(p.Second.Fields) && SameScale(p.First.Fields, p.Second.Fields));
    }

    [Fact]
    public void A_field_the_later_schema_adds_is_taken_from_the_json_not_reported_missing()
    {
        var stored = TypedSamples.Typed(TypedSamples.EveryType, TypedSamples.EveryTypeJson.Replace("}}", "},\"region\":\"eu\"}"));
        var later = new EventSchema("every.type", [new FieldSchema("region", FieldType.String, false, 0, null), new FieldSchema("s", FieldType.String, false, 1, null)]);

        var bound = EventBinding.Bind(TestRules.With(later), [stored]);

        Assert.Empty(bound.Failures);
        Assert.Equal(["eu", "résumé ✓"], bound.Events.Single().Fields);
    }

    [Fact]
    public void A_field_the_later_schema_retypes_fails_with_the_json_bindings_reason()
    {
        var stored = TypedSamples.Typed(TypedSamples.EveryType, TypedSamples.EveryTypeJson);
        var later = new EventSchema("every.type", [new FieldSchema("s", FieldType.Decimal, false, 0, null)]);

        var bound = EventBinding.Bind(TestRules.With(later), [stored]);

        Assert.Empty(bound.Events);
        Assert.Equal("field 's' must be a decimal number, got \"résumé ✓\"", bound.Failures.Single().Reason);
    }

    /// <summary>The later schema: fields retyped, made optional or required, dropped, renamed, reordered.</summary>
    private static EventSchema Changed(EventSchema schema, int[] changes)
    {
        var fields = new List<(string Name, FieldType Type, bool Optional, string? Currency)>();
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var f = schema.Fields[i];
            var c = changes.Length == 0 ? 0 : Math.Abs(changes[i % changes.Length] % 16);
            switch (c)
            {
                case 1: continue; // dropped
                case 2: fields.Add((f.Name, Types[(Array.IndexOf(Types, f.Type) + 1) % Types.Length], f.Optional, "KWD")); break;
                case 3: fields.Add((f.Name, f.Type, !f.Optional, f.Currency)); break;
                case 4: fields.Add((f.Name + "_renamed", f.Type, f.Optional, f.Currency)); break;
                case 5 when f.Type == FieldType.Money: fields.Add((f.Name, f.Type, f.Optional, "USD")); break;
                case 6: fields.Add((f.Name, FieldType.String, true, null)); break;
                default: fields.Add((f.Name, f.Type, f.Optional, f.Currency)); break;
            }
        }
        if (changes.Length > 1 && changes[0] % 2 == 0) fields.Reverse();
        return new EventSchema(schema.Name, fields.Select((f, slot) => new FieldSchema(f.Name, f.Type, f.Optional, slot, f.Type == FieldType.Money ? f.Currency ?? "KWD" : null)).ToList());
    }

    /// <summary>Data for <paramref name="schema"/>; each bit of <paramref name="shape"/> leaves a field out or varies its JSON form.</summary>
    private static string Json(EventSchema schema, string text, decimal number, int integer, bool flag, DateTimeOffset at, uint tenths, byte shape)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var f in schema.Fields)
            {
                var bit = (shape >> (f.Slot % 8)) & 1;
                if (f.Optional && bit == 1) continue;
                if (f.Slot == 7 && shape > 200) { w.WriteNull(f.Name); continue; }
                w.WritePropertyName(f.Name);
                switch (f.Type)
                {
                    case FieldType.String: w.WriteStringValue(text); break;
                    case FieldType.Decimal when bit == 1: w.WriteStringValue(number.ToString(CultureInfo.InvariantCulture)); break;
                    case FieldType.Decimal: w.WriteNumberValue(number); break;
                    case FieldType.Integer: w.WriteNumberValue(integer); break;
                    case FieldType.Bool: w.WriteBooleanValue(flag); break;
                    case FieldType.Timestamp: w.WriteStringValue(at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture)); break;
                    case FieldType.Duration when bit == 1: w.WriteStringValue($"PT{tenths / 10}.{tenths % 10}S"); break;
                    case FieldType.Duration: w.WriteNumberValue(tenths / 10m); break;
                    case FieldType.Money when bit == 1:
                        w.WriteStartObject();
                        w.WriteString("amount", number.ToString(CultureInfo.InvariantCulture));
                        w.WriteString("currency", f.Currency);
                        w.WriteEndObject();
                        break;
                    case FieldType.Money: w.WriteNumberValue(number); break;
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Equal decimals may differ in scale (1.1 == 1.10); the typed form must keep the scale too.</summary>
    private static bool SameScale(object?[] a, object?[] b) =>
        a.Zip(b).All(p => p.First is not decimal x || p.Second is not decimal y || x.Scale == y.Scale);
}
