using System.Buffers;
using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Billing;
using static RulesBilling.Engine.Outcomes.OutcomeStateJson;

namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// The compact encoding of a key-group entry, written and read on the ingestion path. What the entry's name and the
/// rule already say is left out: a member's type and customer, and an outcome's name, customer and key when they are
/// the group's. A member is a reference to the stored event (source, id) with its time, never its data: re-detecting
/// the group reads the members' events from the store (<see cref="IOutcomeStateStore.FindEvents"/>).
/// An outcome is a positional array; in a group of one member (a key seen once, the common case) an outcome of that
/// member's event leaves out its source, id and time. Excluded events and errors are rare and use the default
/// serializer; "r" and "d" are written only when not empty.
/// <code>{"v":version,"m":[[source,id,time]…],"r":[…],"d":[…],"o":[[…]…],"x":[…],"e":[…]}</code>
/// Entries of the earlier format (each member also held its data and extensions) read alike, the rest of a member
/// skipped; they are rebuilt on first use anyway, as the state's hash names the format (<see cref="StoredOutcomes.StateHash"/>).
/// </summary>
internal static class GroupEntryCodec
{
    public static string Write(GroupDocument group, string outcome, string customer, string key) =>
        WithVersion(Body(group, outcome, customer, key), group.Version);

    /// <summary>
    /// The entry without its change version (<c>,"m":…}</c>): the version is known only under the writer lock, the
    /// rest of a new group's entry can be encoded before it (<see cref="PreparedGroups"/>).
    /// </summary>
    public static string Body(GroupDocument group, string outcome, string customer, string key)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            w.WriteStartObject();
            WriteMembers(w, "m", group.Members);
            // Only a group with a reversal has "r" (entries of the earlier format always had it).
            if (group.Reversals.Count > 0) WriteMembers(w, "r", group.Reversals);
            // Only a group with a disqualification has "d", so entries of rule sets without one are unchanged.
            if (group.Disqualifiers.Count > 0) WriteMembers(w, "d", group.Disqualifiers);
            w.WriteStartArray("o");
            var sole = SoleMember(group.Members);
            foreach (var o in group.Outcomes) WriteOutcome(w, o, outcome, customer, key, sole);
            w.WriteEndArray();
            if (group.Excluded.Count > 0)
            {
                w.WritePropertyName("x");
                JsonSerializer.Serialize(w, group.Excluded);
            }
            if (group.Errors.Count > 0)
            {
                w.WritePropertyName("e");
                JsonSerializer.Serialize(w, group.Errors);
            }
            w.WriteEndObject();
        }
        // Past the opening brace: WithVersion writes it with the version first, as entries always had it.
        return "," + Encoding.UTF8.GetString(buffer.WrittenSpan[1..]);
    }

    /// <summary>The entry of <see cref="Body"/> at change version <paramref name="version"/>.</summary>
    public static string WithVersion(string body, long version) =>
        "{\"v\":" + version.ToString(System.Globalization.CultureInfo.InvariantCulture) + body;

    /// <summary>The whole entry: the member references and the detected part.</summary>
    public static GroupDocument Read(string json, string outcome, string customer, string key) =>
        Parse(json, outcome, customer, key, members: true);

    /// <summary>The detected part of the entry (members skipped).</summary>
    /// <param name="shared">Pools the repeated strings of a customer's entries; null decodes every string anew.</param>
    public static OutcomeDetection Detection(string json, string outcome, string customer, string key, SharedStrings? shared = null)
    {
        var g = Parse(json, outcome, customer, key, members: false, shared);
        return new OutcomeDetection(g.Outcomes, g.Excluded, g.Errors);
    }

    /// <summary>The entry's change version and the refs (source/id) of its members and reversals.</summary>
    public static (long Version, IReadOnlyList<string> Refs) Refs(string json)
    {
        var g = Parse(json, "", "", "", members: true);
        return (g.Version, [.. g.Members.Concat(g.Reversals).Concat(g.Disqualifiers).Select(m => m.Ref)]);
    }

    /// <summary>
    /// Adds the event time of every member and reversal of the entry to <paramref name="times"/> (keyed source/id),
    /// skipping their data: what placing the group's exclusions and errors in a period needs.
    /// </summary>
    public static void MemberTimes(string json, Dictionary<string, DateTimeOffset> times)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var r = new Utf8JsonReader(bytes);
        Expect(ref r, JsonTokenType.StartObject);
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            var property = r.GetString();
            r.Read();
            if (property is not ("m" or "r" or "d"))
            {
                r.Skip();
                continue;
            }
            while (Next(ref r) == JsonTokenType.StartArray)
            {
                var source = NextString(ref r)!;
                var id = NextString(ref r)!;
                Next(ref r);
                times[EventRef.Of(source, id)] = r.GetDateTimeOffset();
                SkipToEndOfMember(ref r);
            }
        }
    }

    private static void WriteMembers(Utf8JsonWriter w, string name, List<MemberEvent> members)
    {
        w.WriteStartArray(name);
        foreach (var m in members)
        {
            w.WriteStartArray();
            w.WriteStringValue(m.Source);
            w.WriteStringValue(m.Id);
            w.WriteStringValue(m.Time);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// A group's only member: usually the event of its one outcome, whose source, id and time the outcome then leaves
    /// out (null) instead of repeating them.
    /// </summary>
    private static MemberEvent? SoleMember(List<MemberEvent> members) => members.Count == 1 ? members[0] : null;

    private static void WriteOutcome(Utf8JsonWriter w, OutcomeInstance o, string outcome, string customer, string key, MemberEvent? sole)
    {
        w.WriteStartArray();
        WriteUnlessSame(w, o.Outcome, outcome);
        WriteUnlessSame(w, o.Customer, customer);
        WriteUnlessSame(w, o.Key, key);
        // Exact, offset included: the outcome's time reads back as the member's, and invoices print it.
        if (sole is not null && o.EventSource == sole.Source && o.EventId == sole.Id && o.EventTime.EqualsExact(sole.Time))
        {
            w.WriteNullValue();
            w.WriteNullValue();
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(o.EventSource);
            w.WriteStringValue(o.EventId);
            w.WriteStringValue(o.EventTime);
        }
        w.WriteStringValue(o.BillableAt);
        w.WriteNumberValue(o.Quantity);
        if (o.Value is { } value) w.WriteNumberValue(value);
        else w.WriteNullValue();
        w.WriteStringValue(o.ValueCurrency);
        w.WriteStartObject();
        foreach (var (name, dimension) in o.Dimensions) w.WriteString(name, dimension);
        w.WriteEndObject();
        w.WriteStartArray();
        foreach (var share in o.Split)
        {
            w.WriteStartArray();
            w.WriteStringValue(share.Dimension);
            w.WriteStringValue(share.Target);
            w.WriteNumberValue(share.Fraction);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteNumberValue((int)o.State);
        w.WriteStartArray();
        foreach (var duplicate in o.DuplicateEventIds) w.WriteStringValue(duplicate);
        w.WriteEndArray();
        w.WriteStringValue(o.ReversedByEventId);
        w.WriteEndArray();
    }

    private static void WriteUnlessSame(Utf8JsonWriter w, string value, string same)
    {
        if (string.Equals(value, same, StringComparison.Ordinal)) w.WriteNullValue();
        else w.WriteStringValue(value);
    }

    private static GroupDocument Parse(
        string json, string outcome, string customer, string key, bool members, SharedStrings? shared = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var r = new Utf8JsonReader(bytes);
        long version = 0;
        List<MemberEvent> memberList = [], reversalList = [], disqualifierList = [];
        MemberEvent? sole = null;
        List<OutcomeInstance> outcomes = [];
        List<ExcludedEvent> excluded = [];
        List<RatingError> errors = [];
        Expect(ref r, JsonTokenType.StartObject);
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            var property = r.GetString();
            r.Read();
            switch (property)
            {
                case "v": version = r.GetInt64(); break;
                case "m" when members:
                    memberList = ReadMembers(ref r);
                    sole = SoleMember(memberList);
                    break;
                // "m" precedes "o": an outcome may leave its event to the sole member.
                case "m": sole = ReadSoleMember(ref r); break;
                case "r" when members: reversalList = ReadMembers(ref r); break;
                case "d" when members: disqualifierList = ReadMembers(ref r); break;
                case "o":
                    while (Next(ref r) == JsonTokenType.StartArray) outcomes.Add(ReadOutcome(ref r, outcome, customer, key, shared, sole));
                    break;
                case "x": excluded = JsonSerializer.Deserialize<List<ExcludedEvent>>(ref r) ?? []; break;
                case "e": errors = JsonSerializer.Deserialize<List<RatingError>>(ref r) ?? []; break;
                default: r.Skip(); break;
            }
        }
        return new GroupDocument(memberList, reversalList, outcomes, excluded, errors, version) { Disqualifiers = disqualifierList };
    }

    /// <summary>The only member of the list, or null when it has none or several (those are skipped).</summary>
    private static MemberEvent? ReadSoleMember(ref Utf8JsonReader r)
    {
        if (Next(ref r) != JsonTokenType.StartArray) return null;
        var source = NextString(ref r)!;
        var id = NextString(ref r)!;
        Next(ref r);
        var first = new MemberEvent(source, id, r.GetDateTimeOffset());
        SkipToEndOfMember(ref r);
        if (Next(ref r) == JsonTokenType.EndArray) return first;
        while (r.TokenType != JsonTokenType.EndArray)
        {
            r.Skip();
            Next(ref r);
        }
        return null;
    }

    private static List<MemberEvent> ReadMembers(ref Utf8JsonReader r)
    {
        var list = new List<MemberEvent>();
        while (Next(ref r) == JsonTokenType.StartArray)
        {
            var source = NextString(ref r)!;
            var id = NextString(ref r)!;
            Next(ref r);
            list.Add(new MemberEvent(source, id, r.GetDateTimeOffset()));
            SkipToEndOfMember(ref r);
        }
        return list;
    }

    /// <summary>Past the rest of a member's array: nothing in this format, the data and extensions in the earlier one.</summary>
    private static void SkipToEndOfMember(ref Utf8JsonReader r)
    {
        while (Next(ref r) != JsonTokenType.EndArray) r.Skip();
    }

    private static OutcomeInstance ReadOutcome(ref Utf8JsonReader r, string outcome, string customer, string key, SharedStrings? shared, MemberEvent? sole)
    {
        var name = NextString(ref r) ?? outcome;
        var owner = NextString(ref r) ?? customer;
        var outcomeKey = NextString(ref r) ?? key;
        var source = NextString(ref r) ?? Sole(sole).Source;
        if (shared is not null)
        {
            name = shared.Get(name);
            owner = shared.Get(owner);
            source = shared.Get(source);
        }
        var id = NextString(ref r) ?? Sole(sole).Id;
        var eventTime = Next(ref r) == JsonTokenType.Null ? Sole(sole).Time : r.GetDateTimeOffset();
        Next(ref r);
        var billableAt = r.GetDateTimeOffset();
        Next(ref r);
        var quantity = r.GetDecimal();
        decimal? value = Next(ref r) == JsonTokenType.Null ? null : r.GetDecimal();
        var currency = shared is null ? NextString(ref r) : shared.GetOrNull(NextString(ref r));
        // The detector's dimensions are ordinal-sorted, and consumers iterate them.
        var dimensions = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        Expect(ref r, JsonTokenType.StartObject);
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            var dimension = r.GetString()!;
            dimensions[dimension] = NextString(ref r);
        }
        var split = new List<SplitAllocationShare>();
        Expect(ref r, JsonTokenType.StartArray);
        while (Next(ref r) == JsonTokenType.StartArray)
        {
            var dimension = NextString(ref r)!;
            var target = NextString(ref r);
            Next(ref r);
            split.Add(new SplitAllocationShare(dimension, target, r.GetDecimal()));
            Expect(ref r, JsonTokenType.EndArray);
        }
        Next(ref r);
        var state = (OutcomeState)r.GetInt32();
        var duplicates = new List<string>();
        Expect(ref r, JsonTokenType.StartArray);
        while (Next(ref r) == JsonTokenType.String) duplicates.Add(r.GetString()!);
        var reversedBy = NextString(ref r);
        Expect(ref r, JsonTokenType.EndArray);
        if (shared is null)
        {
            return new OutcomeInstance(name, owner, outcomeKey, source, id, eventTime, billableAt, quantity, value, currency, dimensions, split, state, duplicates, reversedBy);
        }
        // Most outcomes have no split and no duplicates: one empty list for all of them.
        return new OutcomeInstance(name, owner, outcomeKey, source, id, eventTime, billableAt, quantity, value, currency, shared.Dimensions(dimensions),
            split.Count == 0 ? [] : split, state, duplicates.Count == 0 ? [] : duplicates, reversedBy);
    }

    private static MemberEvent Sole(MemberEvent? sole) =>
        sole ?? throw new InvalidOperationException("malformed outcome state entry: an outcome without its event in a group without a sole member");

    private static JsonTokenType Next(ref Utf8JsonReader r) =>
        r.Read() ? r.TokenType : throw new InvalidOperationException("truncated outcome state entry");

    private static string? NextString(ref Utf8JsonReader r) => Next(ref r) == JsonTokenType.Null ? null : r.GetString();

    private static void Expect(ref Utf8JsonReader r, JsonTokenType token)
    {
        if (Next(ref r) != token) throw new InvalidOperationException($"malformed outcome state entry: expected {token}, found {r.TokenType}");
    }
}
