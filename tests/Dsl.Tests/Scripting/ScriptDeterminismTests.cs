namespace RulesBilling.Dsl.Tests.Scripting;

/// <summary>
/// docs/dsl-spec.md §16.4: the same events and rules give the same invoice on any machine and in any process, so
/// everything whose result depends on the process (hash seeds), the machine's time zone or its collation data is
/// refused at check time, with a caret inside the script — while the deterministic spellings keep working.
/// </summary>
public class ScriptDeterminismTests
{
    public static TheoryData<string, string, string> Refused => new()
    {
        // Hash codes: string hashing is randomised per process, and tuples and anonymous types combine hashes with a per-process seed.
        { "string hash", "return e.order_id.GetHashCode() > 0;", "GetHashCode" },
        { "decimal hash", "return e.total.GetHashCode() != 0;", "GetHashCode" },
        { "tuple hash", "return (e.order_id, 1).GetHashCode() != 0;", "GetHashCode" },
        { "anonymous type hash", "return new { a = e.order_id }.GetHashCode() != 0;", "GetHashCode" },
        { "object hash", "object o = e.order_id; return o.GetHashCode() != 0;", "GetHashCode" },
        { "hash as a method group", "Func<int> h = e.order_id.GetHashCode; return h() != 0;", "GetHashCode" },
        { "HashCode.Combine", "return HashCode.Combine(1, 2) != 0;", "System.HashCode" },
        // The machine's time zone.
        { "DateTime.Parse", "return DateTime.Parse(\"2025-03-01T12:00:00Z\").Hour == 12;", "DateTime.Parse" },
        { "DateTime.TryParse", "return DateTime.TryParse(\"2025-03-01\", out var d) && d.Day == 1;", "DateTime.TryParse" },
        { "DateTime.ParseExact", "return DateTime.ParseExact(\"2025-03-01\", \"yyyy-MM-dd\", null).Day == 1;", "DateTime.ParseExact" },
        { "DateTimeOffset.Parse without an offset", "return DateTimeOffset.Parse(\"2025-03-01 10:00\").Hour == 10;", "DateTimeOffset.Parse" },
        { "DateTimeOffset.TryParse", "return DateTimeOffset.TryParse(\"2025-03-01\", out var d) && d.Day == 1;", "DateTimeOffset.TryParse" },
        { "DateTime format zzz", "return meta.Time.DateTime.ToString(\"zzz\") != \"\";", "must not show an offset" },
        { "DateTime format K", "return meta.Time.UtcDateTime.AddDays(1).ToString(\"yyyy K\") != \"\";", "must not show an offset" },
        { "DateTime format computed", "var f = \"z\" + e.order_id; return meta.Time.DateTime.ToString(f) != \"\";", "must be written here" },
        { "DateTime interpolated with zzz", "return $\"{meta.Time.DateTime:zzz}\" != \"\";", "must not show an offset" },
        { "DateTimeOffset from a DateTime", "return new DateTimeOffset(meta.Time.DateTime).Offset == TimeSpan.Zero;", "machine's time-zone offset" },
        { "implicit DateTimeOffset from a DateTime", "DateTimeOffset x = meta.Time.DateTime; return x.Offset == TimeSpan.Zero;", "op_Implicit" },
        { "comparing a DateTime with a DateTimeOffset", "return meta.Time > meta.Time.DateTime;", "op_Implicit" },
        { "ToLocalTime", "return meta.Time.ToLocalTime().Hour > 0;", "ToLocalTime" },
        { "LocalDateTime", "return meta.Time.LocalDateTime.Hour > 0;", "LocalDateTime" },
        { "DateTime.ToUniversalTime", "return meta.Time.DateTime.ToUniversalTime().Hour > 0;", "ToUniversalTime" },
        { "DateTime.ToFileTime", "return meta.Time.DateTime.ToFileTime() > 0;", "ToFileTime" },
        { "DateTime.FromFileTime", "return DateTime.FromFileTime(0L).Year > 0;", "FromFileTime" },
        { "DateTimeOffset.FromFileTime", "return DateTimeOffset.FromFileTime(0L).Year > 0;", "FromFileTime" },
        { "DateTime.FromBinary", "return DateTime.FromBinary(-1L).Year > 0;", "FromBinary" },
        { "IsDaylightSavingTime", "return meta.Time.DateTime.IsDaylightSavingTime();", "IsDaylightSavingTime" },
        { "DateTimeKind.Local", "return DateTime.SpecifyKind(meta.Time.DateTime, DateTimeKind.Local).Hour > 0;", "DateTimeKind" },
        { "TimeZoneInfo.Local", "return TimeZoneInfo.Local.BaseUtcOffset == TimeSpan.Zero;", "TimeZoneInfo" },
        { "the clock", "return DateTime.Today.Year > 2000;", "DateTime.Today" },
        { "the clock through DateTimeOffset", "return DateTimeOffset.Now > meta.Time;", "DateTimeOffset.Now" },
        { "TimeProvider", "return TimeProvider.System.GetUtcNow() > meta.Time;", "TimeProvider" },
        { "Stopwatch", "return System.Diagnostics.Stopwatch.GetTimestamp() > 0;", "Stopwatch" },
        { "Environment.TickCount", "return Environment.TickCount64 > 0;", "System.Environment" },
        { "Environment.ProcessId", "return Environment.ProcessId > 0;", "System.Environment" },
        { "Random.Shared", "return Random.Shared.Next(2) == 1;", "System.Random" },
        { "Guid.NewGuid", "return Guid.NewGuid().ToString() != \"\";", "System.Guid" },
        { "thread identity", "return Environment.CurrentManagedThreadId > 0;", "System.Environment" },
        // Culture-sensitive comparison (collation data differs between machines; invariant globalization is ordinal).
        { "StartsWith without a comparison", "return e.order_id.StartsWith(\"A\");", "compares by culture" },
        { "EndsWith without a comparison", "return e.order_id.EndsWith(\"1\");", "compares by culture" },
        { "IndexOf a string", "return e.order_id.IndexOf(\"-\") > 0;", "compares by culture" },
        { "LastIndexOf a string", "return e.order_id.LastIndexOf(\"-\", 3) > 0;", "compares by culture" },
        { "a culture comparison", "return e.order_id.StartsWith(\"a\", StringComparison.InvariantCultureIgnoreCase);", "StringComparison.Ordinal" },
        { "a comparison chosen at run time", "var c = e.total > 1m ? StringComparison.Ordinal : StringComparison.CurrentCulture; return e.order_id.Equals(\"x\", c);", "StringComparison.Ordinal" },
        { "ordering strings", "return new[] { e.order_id, \"b\" }.OrderBy(s => s).First() == \"b\";", "'OrderBy' on strings" },
        { "ordering by a tuple with a string", "return new[] { e.order_id }.OrderByDescending(s => (s.Length, s)).Any();", "'OrderByDescending' on strings" },
        { "max of strings", "return new[] { e.order_id, \"b\" }.Max() == \"b\";", "'Max' on strings" },
        { "min of a string key", "return new[] { e.order_id }.Min(s => s.Trim()) != null;", "'Min' on strings" },
        { "MaxBy a string key", "return new[] { e.order_id }.MaxBy(s => s) != null;", "'MaxBy' on strings" },
        { "culture casing", "return e.order_id.ToUpper() == \"A\";", "ToUpper" },
        { "culture compare", "return string.Compare(e.order_id, \"a\") > 0;", "Compare" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refused_when_checked_with_a_caret_inside_the_script(string threat, string code, string expected)
    {
        var text = ScriptRules.Outcome($"  when script \"\"\"\n{code}\n\"\"\"");
        var codeStart = text.IndexOf("\"\"\"\n", StringComparison.Ordinal) + 3;

        var compilation = ScriptRules.Compile(text);

        Assert.False(compilation.Success, threat);
        var error = compilation.Diagnostics.First(d => d.IsError);
        Assert.Equal("RB0504", error.Code);
        Assert.Contains(expected, compilation.Render());
        Assert.InRange(error.Span.Start, codeStart, codeStart + code.Length);
        Assert.Matches(@"^rules\.rules:\d+:\d+: error RB0504: ", error.Headline);
    }

    public static TheoryData<string, string> Deterministic => new()
    {
        { "ordinal StartsWith", "return e.order_id.StartsWith(\"o\", StringComparison.Ordinal) && e.order_id.EndsWith(\"1\", StringComparison.OrdinalIgnoreCase);" },
        { "ordinal IndexOf", "return e.order_id.IndexOf(\"1\", StringComparison.Ordinal) == 1 && e.order_id.IndexOf('1') == 1;" },
        { "ordinal Equals and Contains", "return e.order_id.Equals(\"O1\", StringComparison.OrdinalIgnoreCase) && e.order_id.Contains(\"1\");" },
        { "ordering by a number", "return new[] { \"bb\", \"a\" }.OrderBy(s => s.Length).First() == \"a\" && new[] { 2m, 1m }.Max() == 2m;" },
        { "distinct and grouped strings keep first-seen order", "return new[] { \"b\", \"a\", \"b\" }.Distinct().First() == \"b\" && new[] { \"b\", \"a\", \"b\" }.GroupBy(s => s).First().Key == \"b\";" },
        { "DateTimeOffset formats with its own offset", "return $\"{meta.Time:yyyy-MM-dd HH:mm zzz}\" == \"2025-03-01 12:00 +00:00\" && meta.Time.ToString(\"%K\") == \"+00:00\";" },
        { "DateTime formats without an offset", "return meta.Time.UtcDateTime.ToString(\"yyyy-MM-dd\") == \"2025-03-01\" && $\"{meta.Time.DateTime:HH}\" == \"12\";" },
        { "building timestamps with an explicit offset", "return new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero) == meta.Time && new DateTimeOffset(meta.Time.DateTime, TimeSpan.Zero) == meta.Time;" },
        { "UTC conversions", "return meta.Time.ToUniversalTime().UtcDateTime.Hour == 12 && meta.Time.ToUnixTimeSeconds() > 0;" },
        { "ordinal string comparison", "return string.CompareOrdinal(e.order_id, \"a\") > 0;" },
    };

    [Theory]
    [MemberData(nameof(Deterministic))]
    public void Deterministic_spellings_still_compile_and_run(string shape, string code)
    {
        var rules = ScriptRules.CompileOk(ScriptRules.Outcome($"  when script \"\"\"\n{code}\n\"\"\""));

        Assert.True(rules.Outcomes[0].Condition!(ScriptRules.Order("o1", 5m, 1m)), shape);
    }
}
