using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine;

/// <summary>
/// An accepted event's data as ingestion bound it: the typed value of every field its schema declared, by field
/// NAME, in one compact binary form that every store keeps as is (a LiteDB binary value, a PostgreSQL bytea, the
/// in-memory store's array). Reading it costs no JSON parse and no re-conversion.
/// <para>
/// Format version 1: <c>0x01</c>, field count (varint), then per field its UTF-8 name (varint length + bytes), a
/// kind byte and the value: 0 absent (declared, but missing or null), 1 string (varint length + UTF-8),
/// 2 decimal / 3 integer (the 16 bytes of <see cref="decimal.GetBits(decimal)"/>, which keep the scale: 1.10 stays
/// 1.10), 4 bool (one byte), 5 timestamp (UTC ticks, int64), 6 duration (ticks, int64), 7 money (currency as a
/// string, then the decimal). Integers are little-endian.
/// </para>
/// <para>
/// Binding by name is what lets a later rule set reuse it: its schema may add, drop or reorder fields. A field is
/// taken from here only when it was stored with exactly the type the schema now declares (money: and the same
/// currency); otherwise <see cref="TryBind"/> declines and the caller binds the raw JSON, which every store keeps,
/// so the result is always the one binding the JSON would give.
/// </para>
/// </summary>
public sealed class TypedFields : IEquatable<TypedFields>
{
    private const byte Version = 1;
    private const byte Absent = 0;

    // Schema field names in UTF-8, computed once per schema instance (a compiled rule set keeps its schemas).
    private static readonly ConditionalWeakTable<EventSchema, byte[][]> Utf8Names = new();

    private readonly byte[] _bytes;

    private TypedFields(byte[] bytes) => _bytes = bytes;

    /// <summary>The stored form; a copy, so the value stays immutable.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>Length of the stored form in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>Takes a stored form back (copied); null for bytes of an unknown format version or malformed.</summary>
    public static TypedFields? FromBytes(ReadOnlySpan<byte> bytes) =>
        IsWellFormed(bytes) ? new TypedFields(bytes.ToArray()) : null;

    /// <summary>Like <see cref="FromBytes"/> for an array the caller hands over (a store's freshly read value): no copy.</summary>
    internal static TypedFields? Own(byte[] bytes) => IsWellFormed(bytes) ? new TypedFields(bytes) : null;

    /// <summary>The stored form of an event bound against <paramref name="schema"/> (its slots in schema order).</summary>
    public static TypedFields Encode(EventSchema schema, RuleEvent bound)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(bound);
        var writer = new Writer(64);
        writer.Byte(Version);
        writer.VarInt(schema.Fields.Count);
        foreach (var field in schema.Fields)
        {
            writer.Text(field.Name);
            var value = bound.Fields[field.Slot];
            if (value is null)
            {
                writer.Byte(Absent);
                continue;
            }
            writer.Byte(Kind(field.Type));
            switch (field.Type)
            {
                case FieldType.String:
                    writer.Text((string)value);
                    break;
                case FieldType.Decimal or FieldType.Integer:
                    writer.Decimal((decimal)value);
                    break;
                case FieldType.Money:
                    writer.Text(field.Currency ?? "");
                    writer.Decimal((decimal)value);
                    break;
                case FieldType.Bool:
                    writer.Byte((bool)value ? (byte)1 : (byte)0);
                    break;
                case FieldType.Timestamp:
                    writer.Int64(((DateTimeOffset)value).UtcTicks);
                    break;
                case FieldType.Duration:
                    writer.Int64(((TimeSpan)value).Ticks);
                    break;
                default:
                    throw new InvalidOperationException($"field '{field.Name}' has a type the typed form does not know: {field.Type}");
            }
        }
        return new TypedFields(writer.ToArray());
    }

    /// <summary>
    /// The slots of <paramref name="schema"/> taken from the stored values, or false (slots null) when some declared
    /// field is not here with exactly its declared type, or is absent while the schema requires it. The caller then
    /// binds the raw JSON, which gives the same values or the precise reason it does not bind.
    /// </summary>
    public bool TryBind(EventSchema schema, out object?[]? slots)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var names = Utf8Names.GetValue(schema, s => s.Fields.Select(f => Encoding.UTF8.GetBytes(f.Name)).ToArray());
        var result = new object?[schema.Fields.Count];
        var found = 0;
        var reader = new Reader(_bytes);
        reader.Byte();
        var count = reader.VarInt();
        for (var n = 0; n < count; n++)
        {
            var name = reader.Span(reader.VarInt());
            var kind = reader.Byte();
            var index = IndexOf(names, name);
            if (index < 0 || kind == Absent)
            {
                // A field the schema no longer declares, or an absent one: skip its value (absent has none).
                if (kind != Absent) reader.Skip(kind);
                if (index >= 0)
                {
                    if (!schema.Fields[index].Optional) return Decline(out slots);
                    found++;
                }
                continue;
            }

            var field = schema.Fields[index];
            if (kind != Kind(field.Type)) return Decline(out slots);
            object value;
            switch (field.Type)
            {
                case FieldType.String:
                    value = Encoding.UTF8.GetString(reader.Span(reader.VarInt()));
                    break;
                case FieldType.Decimal or FieldType.Integer:
                    value = reader.Decimal();
                    break;
                case FieldType.Money:
                    var currency = reader.Span(reader.VarInt());
                    if (!currency.SequenceEqual(Encoding.UTF8.GetBytes(field.Currency ?? ""))) return Decline(out slots);
                    value = reader.Decimal();
                    break;
                case FieldType.Bool:
                    value = reader.Byte() != 0;
                    break;
                case FieldType.Timestamp:
                    value = new DateTimeOffset(reader.Int64(), TimeSpan.Zero);
                    break;
                default:
                    value = TimeSpan.FromTicks(reader.Int64());
                    break;
            }
            result[field.Slot] = value;
            found++;
        }

        // Every declared field must have been seen: one the event was stored without is only in the JSON, if anywhere.
        if (found != schema.Fields.Count) return Decline(out slots);
        slots = result;
        return true;
    }

    public bool Equals(TypedFields? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => obj is TypedFields other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => $"TypedFields({_bytes.Length} bytes)";

    private static bool Decline(out object?[]? slots)
    {
        slots = null;
        return false;
    }

    private static int IndexOf(byte[][] names, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (name.SequenceEqual(names[i])) return i;
        }
        return -1;
    }

    private static byte Kind(FieldType type) => type switch
    {
        FieldType.String => 1,
        FieldType.Decimal => 2,
        FieldType.Integer => 3,
        FieldType.Bool => 4,
        FieldType.Timestamp => 5,
        FieldType.Duration => 6,
        FieldType.Money => 7,
        _ => 255,
    };

    /// <summary>Walks the whole form once, so a truncated or foreign value is refused on read, not mid-binding.</summary>
    private static bool IsWellFormed(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Reader(bytes);
            if (reader.Byte() != Version) return false;
            var count = reader.VarInt();
            for (var n = 0; n < count; n++)
            {
                reader.Span(reader.VarInt());
                var kind = reader.Byte();
                if (kind > 7) return false;
                if (kind != Absent) reader.Skip(kind);
            }
            return reader.AtEnd;
        }
        catch (IndexOutOfRangeException)
        {
            return false;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private sealed class Writer(int capacity)
    {
        private byte[] _buffer = new byte[capacity];
        private int _length;

        public void Byte(byte value)
        {
            Ensure(1);
            _buffer[_length++] = value;
        }

        public void VarInt(int value)
        {
            var v = (uint)value;
            while (v >= 0x80)
            {
                Byte((byte)(v | 0x80));
                v >>= 7;
            }
            Byte((byte)v);
        }

        public void Text(string value)
        {
            var count = Encoding.UTF8.GetByteCount(value);
            VarInt(count);
            Ensure(count);
            _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        }

        public void Int64(long value)
        {
            Ensure(8);
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
            _length += 8;
        }

        public void Decimal(decimal value)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(value, bits);
            Ensure(16);
            foreach (var part in bits)
            {
                BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), part);
                _length += 4;
            }
        }

        public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

        private void Ensure(int more)
        {
            if (_length + more <= _buffer.Length) return;
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        public readonly bool AtEnd => _position == _bytes.Length;

        public byte Byte() => _bytes[_position++];

        public int VarInt()
        {
            var result = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Byte();
                result |= (b & 0x7F) << shift;
                if (b < 0x80) return result;
            }
            throw new IndexOutOfRangeException("varint too long");
        }

        public ReadOnlySpan<byte> Span(int length)
        {
            var span = _bytes.Slice(_position, length);
            _position += length;
            return span;
        }

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Span(8));

        public decimal Decimal()
        {
            var span = Span(16);
            Span<int> bits = stackalloc int[4];
            for (var i = 0; i < 4; i++) bits[i] = BinaryPrimitives.ReadInt32LittleEndian(span[(i * 4)..]);
            return new decimal(bits);
        }

        /// <summary>Moves past the value of a field of the given kind.</summary>
        public void Skip(byte kind)
        {
            switch (kind)
            {
                case 1: Span(VarInt()); break;
                case 2 or 3: Span(16); break;
                case 4: Span(1); break;
                case 5 or 6: Span(8); break;
                case 7: Span(VarInt()); Span(16); break;
                default: throw new IndexOutOfRangeException($"unknown field kind {kind}");
            }
        }
    }
}
