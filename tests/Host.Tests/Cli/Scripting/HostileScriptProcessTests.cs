using System.Diagnostics;

namespace RulesBilling.Host.Tests.Cli.Scripting;

/// <summary>
/// Hostile inputs at full size, run through the real CLI in a child process: a stack overflow there kills only the
/// child (exit 134), and a hang is cut off, so a regression fails these tests instead of taking the test host down.
/// Also: the same script-based invoice is byte-for-byte the same in processes with different time zones.
/// </summary>
public sealed class HostileScriptProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rb-hostile-").FullName;

    public HostileScriptProcessTests()
    {
        File.WriteAllText(Path.Combine(_dir, "events.jsonl"),
            """{"specversion":"1.0","id":"o1","source":"shop","type":"order.paid","subject":"cust","time":"2025-03-01T12:00:00Z","data":{"order_id":"A-1","total":"20","items":3}}""" + "\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    private static string Rules(string clause) => $$"""
        event order.paid {
          order_id: string
          total: money USD
          items: integer
        }

        outcome paid_order from order.paid {
        {{clause}}
        }

        pricing p {
          charge paid_order { unit 1 USD }
        }

        contract c version 1 effective 2025-01-01 {
          customers default
          pricing p
        }
        """;

    private static string When(string code) => $"  when script \"\"\"\"\"\n{code}\n\"\"\"\"\"";

    public static TheoryData<string, string, string> HostileScripts => new()
    {
        { "20,000 nested parentheses", "return " + Repeat("(", 20_000) + "true" + Repeat(")", 20_000) + ";", "RB0506" },
        { "20,000 nested blocks", Repeat("{", 20_000) + Repeat("}", 20_000) + " return true;", "RB0506" },
        { "10,000 nested interpolations", "return " + Repeat("$\"{", 10_000) + "1" + Repeat("}\"", 10_000) + " != \"\";", "RB0506" },
        { "a 50,000-term sum", "return " + string.Join(" + ", Enumerable.Repeat("1m", 50_000)) + " > 0m;", "RB0506" },
        { "a 2,000-term string concatenation", "return (" + string.Join(" + ", Enumerable.Repeat("e.order_id", 2_000)) + ").Length > 0;", "RB0506" },
        { "a 12,000-deep negation", "return " + Repeat("!", 12_000) + "true;", "RB0506" },
        { "generic recursion through value tuples", "int F<T>(T x, int n) => n == 0 ? 0 : F((x, x), n - 1); return F(1m, 40) > 0;", "RB0504" },
        { "generic recursion through nullable tuples", "int F<T>(T x, int n) where T : struct => F<(T, T)?>((x, x), n + 1); return F(1m, 0) > 0;", "RB0504" },
        { "a tuple doubled twenty times", "var a = (1m, 1m);" + string.Concat(Enumerable.Range(0, 20).Select(i => $" var t{i} = ({(i == 0 ? "a" : $"t{i - 1}")}, {(i == 0 ? "a" : $"t{i - 1}")});")) + " return t19.Item1.Item1.Item1 == t19.Item2.Item2.Item2;", "RB0504" },
    };

    [Theory]
    [MemberData(nameof(HostileScripts))]
    public void Hostile_scripts_are_reported_and_the_process_survives(string threat, string code, string expectedCode)
    {
        File.WriteAllText(Path.Combine(_dir, "hostile.rules"), Rules(When(code)));

        var result = Run(_dir, [], "simulate", "--rules", "hostile.rules", "--events", "events.jsonl", "--allow-scripts", "--format", "json");

        Assert.False(result.TimedOut, $"{threat}: the CLI hung");
        Assert.DoesNotContain("Stack overflow", result.Stderr);
        Assert.DoesNotContain("Unhandled exception", result.Stderr);
        Assert.Equal(1, result.ExitCode);
        Assert.Matches($@"^hostile\.rules:\d+:\d+: error {expectedCode}: ", result.Stderr);
    }

    public static TheoryData<string, string> DeepDslExpressions => new()
    {
        { "20,000 nested parentheses", Repeat("(", 20_000) + "total > 1 USD" + Repeat(")", 20_000) },
        { "a 50,000-term sum", string.Join(" + ", Enumerable.Repeat("total", 50_000)) + " > 1 USD" },
        { "20,000 nots", Repeat("not ", 20_000) + "true" },
        { "20,000 nested calls", Repeat("min(", 20_000) + "total" + Repeat(", 1 USD)", 20_000) + " > 0 USD" },
        { "5,000 nested ifs", Repeat("if true then ", 5_000) + "true" + Repeat(" else false", 5_000) },
    };

    [Theory]
    [MemberData(nameof(DeepDslExpressions))]
    public void Deep_rule_expressions_are_a_diagnostic_from_check(string shape, string condition)
    {
        File.WriteAllText(Path.Combine(_dir, "deep.rules"), Rules($"  when {condition}"));

        var result = Run(_dir, [], "check", "deep.rules");

        Assert.False(result.TimedOut, $"{shape}: check hung");
        Assert.DoesNotContain("Stack overflow", result.Stderr);
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^deep\.rules:\d+:\d+: error RB0002: expression nested too deeply", result.Stderr);
    }

    private static readonly (string, string)[][] Machines =
    [
        [("TZ", "UTC")],
        [("TZ", "Pacific/Kiritimati")],
        [("TZ", "America/St_Johns"), ("LANG", "de_DE.UTF-8"), ("LC_ALL", "de_DE.UTF-8")],
    ];

    /// <summary>Each computes the quantity from something the machine or the process decides.</summary>
    public static TheoryData<string, string> MachineDependentQuantities => new()
    {
        { "DateTime.Parse of a UTC string", "return DateTime.Parse(\"2025-03-01T12:00:00Z\").Hour;" },
        { "DateTimeOffset.Parse without an offset", "return DateTimeOffset.Parse(\"2025-03-01 12:00\").Offset.Hours + 20;" },
        { "a DateTimeOffset from a DateTime", "return new DateTimeOffset(meta.Time.DateTime).Offset.Hours + 20;" },
        { "an implicit DateTimeOffset", "DateTimeOffset x = meta.Time.DateTime; return x.Offset.Hours + 20;" },
        { "the local offset in a DateTime format", "return meta.Time.DateTime.ToString(\"zzz\")[1] == '0' ? 1m : 2m;" },
        { "a file time", "return meta.Time.DateTime.ToFileTime() % 1000;" },
        { "a string hash", "return e.order_id.GetHashCode() & 1023;" },
    };

    [Theory]
    [MemberData(nameof(MachineDependentQuantities))]
    public void The_same_invoice_in_every_process_or_a_refusal(string threat, string code)
    {
        File.WriteAllText(Path.Combine(_dir, "tz.rules"), Rules($"  quantity script \"\"\"\"\"\n{code}\n\"\"\"\"\""));

        var runs = Machines.Select(env => Run(_dir, env, "simulate", "--rules", "tz.rules", "--events", "events.jsonl", "--allow-scripts", "--format", "json")).ToArray();

        Assert.All(runs, r => Assert.Equal(runs[0].Stdout, r.Stdout));
        Assert.All(runs, r => Assert.Equal(1, r.ExitCode));
        Assert.All(runs, r => Assert.Matches(@"^tz\.rules:\d+:\d+: error RB0504: ", r.Stderr));
        Assert.NotEmpty(threat);
    }

    [Fact]
    public void A_date_heavy_script_invoice_is_byte_identical_across_time_zones_and_locales()
    {
        const string code = """
            var t = meta.Time;
            var start = new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero);
            var hours = (t - start).Ticks / 36_000_000_000m;
            var label = $"{t:yyyy-MM-dd HH:mm zzz} {t.UtcDateTime:dddd} {t.DateTime:HH}";
            var weekend = t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 2m : 1m;
            return Math.Round(hours / 24m, 2) * weekend + label.Length + (e.order_id.StartsWith("A", StringComparison.Ordinal) ? 1m : 0m);
            """;
        File.WriteAllText(Path.Combine(_dir, "dates.rules"), Rules($"  quantity script \"\"\"\"\"\n{code}\n\"\"\"\"\""));

        var runs = Machines.Select(env => Run(_dir, env, "simulate", "--rules", "dates.rules", "--events", "events.jsonl", "--allow-scripts", "--format", "json")).ToArray();

        Assert.All(runs, r => Assert.Equal(0, r.ExitCode));
        Assert.All(runs, r => Assert.Equal(runs[0].Stdout, r.Stdout));
        Assert.Contains("\"total\": \"", runs[0].Stdout);
    }

    private sealed record Result(int ExitCode, string Stdout, string Stderr, bool TimedOut);

    /// <summary>Like CliProcess.Run, with environment variables and a bounded wait that reports a hang instead of throwing.</summary>
    private static Result Run(string workingDirectory, IEnumerable<(string Name, string Value)> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rulesbilling.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Result(-1, stdout.Result, stderr.Result, TimedOut: true);
        }
        return new Result(process.ExitCode, stdout.Result.Replace("\r\n", "\n"), stderr.Result.Replace("\r\n", "\n"), TimedOut: false);
    }
}
