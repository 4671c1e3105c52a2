using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Tests.Scripting;

/// <summary>
/// The hostile corpus: each script is refused when the rule set is checked (with a location inside the script) or
/// stopped at run time with a rating error — and the process carries on evaluating rules afterwards.
/// </summary>
public class HostileScriptTests
{
    public static TheoryData<string, string, string> RefusedAtCheckTime => new()
    {
        { "file read", """return System.IO.File.ReadAllText("/etc/passwd").Length > 0;""", "System.IO.File" },
        { "file read via using alias", """var t = System.IO.File.Exists("/etc/passwd"); return t;""", "System.IO.File" },
        { "process start", """System.Diagnostics.Process.Start("sh"); return true;""", "Process" },
        { "reflection through typeof", """return typeof(object).Assembly.GetType("System.Environment") != null;""", "typeof" },
        { "reflection through GetType", """return e.GetType().Assembly.FullName != null;""", "GetType" },
        { "reflection through a delegate", """System.Func<int> f = () => 1; return f.Method.Name != "";""", "Method" },
        { "environment variable", """return System.Environment.GetEnvironmentVariable("HOME") != null;""", "System.Environment" },
        { "#r directive", "#r \"System.Diagnostics.Process\"\nreturn true;", "directive" },
        { "#load directive", "#load \"other.csx\"\nreturn true;", "directive" },
        { "clock", """return DateTime.Now.Year > 2000;""", "reads ambient state" },
        { "utc clock", """return DateTimeOffset.UtcNow > meta.Time;""", "reads ambient state" },
        { "random", """return new Random().Next() > 5;""", "System.Random" },
        { "guid", """return Guid.NewGuid() != Guid.Empty;""", "System.Guid" },
        { "threads", """System.Threading.Thread.Sleep(10); return true;""", "Thread" },
        { "tasks", """System.Threading.Tasks.Task.Run(() => 1); return true;""", "Task" },
        { "network", """return new System.Net.Http.HttpClient() != null;""", "System.Net" },
        { "dynamic", """dynamic d = e; return d.total > 1;""", "dynamic" },
        { "unsafe", """unsafe { int x = 1; int* p = &x; } return true;""", "unsafe" },
        { "catching the budget", """try { while (true) { } } catch { } return true;""", "exception handling" },
        { "goto loop", """top: goto top;""", "goto" },
        { "floating point", """return Math.Sqrt(4.0) > 1.0;""", "double" },
        { "escaping the template", """return true; } public static void Evil() { System.IO.File.Delete("x"); } static bool X() { return true;""", "unbalanced" },
        { "the host's budget", """RulesBilling.Dsl.Scripting.ScriptBudget.Exit(); return true;""", "ScriptBudget" },
        { "the raw event", """return RulesBilling.Dsl.Model.Currencies.IsKnown("USD");""", "Currencies" },
        { "attributes", """[System.Obsolete] bool F() => true; return F();""", "attribute" },
    };

    [Theory]
    [MemberData(nameof(RefusedAtCheckTime))]
    public void Refused_when_checked_with_a_location_inside_the_script(string threat, string code, string expected)
    {
        var text = ScriptRules.Outcome($"  when script \"\"\"\n{code}\n\"\"\"");
        var codeStart = text.IndexOf("\"\"\"\n", StringComparison.Ordinal) + 3;

        var compilation = ScriptRules.Compile(text);

        Assert.False(compilation.Success, threat);
        var error = compilation.Diagnostics.First(d => d.IsError);
        Assert.StartsWith("RB05", error.Code);
        Assert.Contains(expected, compilation.Render());
        Assert.InRange(error.Span.Start, codeStart, codeStart + code.Length);
        Assert.Matches(@"^rules\.rules:\d+:\d+: error RB05\d\d: ", error.Headline);
    }

    public static TheoryData<string, string, string> StoppedAtRunTime => new()
    {
        { "infinite loop", """while (true) { } """, "RB0904" },
        { "infinite for", """for (var i = 0; ; i++) { } """, "RB0904" },
        { "endless recursion", """int F(int n) => F(n + 1); return F(0) > 0;""", "RB0905" },
        { "endless lambda recursion", """Func<int, int>? f = null; f = n => f!(n + 1); return f(0) > 0;""", "RB0905" },
        { "huge array", """var a = new decimal[int.MaxValue]; return a.Length > 0;""", "RB0904" },
        { "many arrays", """for (var i = 0; i < 100000; i++) { var a = new decimal[500000]; } return true;""", "RB0904" },
        { "doubling string", """var s = "x"; for (var i = 0; i < 64; i++) s += s; return s.Length > 0;""", "RB0904" },
        { "doubling interpolation", """var s = "x"; for (var i = 0; i < 64; i++) s = $"{s}{s}"; return s.Length > 0;""", "RB0904" },
        { "long LINQ chain", """var xs = e.order_id.Select(c => c); for (var i = 0; i < 1000000; i++) xs = xs.Where(c => true); return xs.Any();""", "RB0904" },
        { "overflow", """var n = int.MaxValue; n = n + (int)e.items; return n > 0;""", "RB0902" },
        { "null dereference", """string? s = null; return s!.Length > 0;""", "RB0906" },
    };

    [Theory]
    [MemberData(nameof(StoppedAtRunTime))]
    public void Stopped_at_run_time_with_a_rating_error_and_the_host_carries_on(string threat, string code, string expected)
    {
        var rules = ScriptRules.CompileOk(ScriptRules.Outcome($"  when script \"\"\"\n{code}\n\"\"\""));
        var when = rules.Outcomes[0].Condition!;

        var error = Assert.Throws<RuleEvaluationException>(() => when(ScriptRules.Order("o1", 5m, 1m)));

        Assert.Equal(expected, error.Code);
        Assert.Equal(("rules.rules", 8), (error.Location.File, error.Location.Line));
        Assert.DoesNotContain("   at ", error.Message);
        // The same thread evaluates the next script normally: the budget was disarmed, the stack unwound.
        var healthy = ScriptRules.CompileOk(ScriptRules.Outcome("""  when script "order.csx" """),
            files: new Dictionary<string, string> { ["order.csx"] = "return e.total > 1m;" });
        Assert.True(healthy.Outcomes[0].Condition!(ScriptRules.Order("o2", 5m, 1m)), threat);
    }
}
