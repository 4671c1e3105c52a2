namespace RulesBilling.Dsl.Model;

/// <summary>
/// A declared field. <see cref="Slot"/> is its index in <see cref="RuleEvent.Fields"/>.
/// Runtime representation per type: string → string, decimal/integer/money → decimal,
/// bool → bool, timestamp → DateTimeOffset (UTC), duration → TimeSpan; absent optional → null.
/// </summary>
public sealed record FieldSchema(string Name, FieldType Type, bool Optional, int Slot, string? Currency);

/// <summary>A declared event type: the CloudEvents <c>type</c> and the typed fields of its <c>data</c>.</summary>
public sealed record EventSchema(string Name, IReadOnlyList<FieldSchema> Fields)
{
    public FieldSchema? Find(string field)
    {
        foreach (var f in Fields)
        {
            if (f.Name == field) return f;
        }
        return null;
    }
}
