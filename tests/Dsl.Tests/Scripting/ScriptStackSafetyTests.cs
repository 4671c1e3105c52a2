using System.Runtime.CompilerServices;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Tests.Scripting;

/// <summary>
/// Shapes that would overflow the stack or stall the compiler are refused when the rule set is checked, with a caret
/// inside the script. The inputs here are small enough to be harmless on a build without the checks (there they
/// compile, so the test fails instead of crashing the run); the full-size hostile inputs run in a child process in
/// Host.Tests (HostileScriptProcessTests).
/// </summary>
public class ScriptStackSafetyTests
{
    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    public static TheoryData<string, string, string, string> RefusedShapes => new()
    {
        // Polymorphic recursion: each call instantiates a larger value type, so the frames grow until the stack is gone.
        { "generic recursion through tuples", "int F<T>(T x, int n) => n == 0 ? 0 : F((x, x), n - 1); return F(1m, 40) > 0;", "RB0504", "generic local function" },
        { "generic recursion through nullable", "int F<T>(T x, int n) where T : struct => F<(T, T)?>((x, x), n + 1); return F(1m, 0) > 0;", "RB0504", "generic local function" },
        { "generic recursion through arrays", "int F<T>(T x, int n) => F(new[] { x }, n + 1); return F(1m, 0) > 0;", "RB0504", "generic local function" },
        { "generic static local function", "static bool G<T>(T x) => true; return G(1);", "RB0504", "generic local function" },
        // One value type so large that a single frame overflows the stack.
        { "tuple doubling per line", "var a = (1m, 1m); var b = (a, a); var c = (b, b); var d = (c, c); var f = (d, d); return f.Item1.Item1.Item1.Item1.Item1 > 0m;", "RB0504", "too large for a script" },
        { "key-value pair doubling", "var a = new KeyValuePair<decimal, decimal>(1m, 1m); var b = new KeyValuePair<KeyValuePair<decimal, decimal>, KeyValuePair<decimal, decimal>>(a, a); var c = (b, b, b, b, b, b, b, b, b); return true;", "RB0504", "too large for a script" },
        { "nullable of a huge tuple", "var a = (1m, 1m, 1m, 1m); var b = (a, a, a, a); (( (decimal, decimal, decimal, decimal), (decimal, decimal, decimal, decimal), (decimal, decimal, decimal, decimal), (decimal, decimal, decimal, decimal)), decimal)? c = null; return c is null;", "RB0504", "too large for a script" },
        // Many moderately sized locals in one frame.
        { "a huge frame", string.Join(' ', Enumerable.Range(0, 300).Select(i => $"var v{i} = (1m, 1m, 1m, 1m, 1m, 1m, 1m, 1m);")) + " return v0.Item1 > 0m;", "RB0504", "bytes of stack" },
        // Shapes the lexical pre-scan bounds before Roslyn parses anything.
        { "nested parentheses", "return " + Repeat("(", 65) + "true" + Repeat(")", 65) + ";", "RB0506", "nested too deeply" },
        { "nested brackets", "var a = new[] { 1m }; return a" + Repeat("[0 + (int)a", 70) + Repeat("]", 70) + " > 0m;", "RB0506", "nested too deeply" },
        { "nested blocks", Repeat("{ ", 70) + Repeat("} ", 70) + "return true;", "RB0506", "nested too deeply" },
        { "nested interpolation holes", "return " + Repeat("$\"{", 70) + "1" + Repeat("}\"", 70) + " != \"\";", "RB0506", "nested too deeply" },
        { "nested raw interpolation holes", "return " + Repeat("$$\"\"\"{{", 70) + "1" + Repeat("}}\"\"\"", 70) + " != \"\";", "RB0506", "nested too deeply" },
        { "long operator chain", "return " + string.Join(" + ", Enumerable.Repeat("e.total", 600)) + " > 0m;", "RB0506", "statement is too long" },
        { "long string chain", "return (" + string.Join(" + ", Enumerable.Repeat("e.order_id", 600)) + ").Length > 0;", "RB0506", "statement is too long" },
        { "long negation chain", "return " + Repeat("!", 2100) + "true;", "RB0506", "statement is too long" },
        { "curried lambdas", "Func<decimal, decimal> f = " + Repeat("a => ", 700) + "1m; return true;", "RB0506", "statement is too long" },
        { "long call chain", "return e.order_id" + Repeat(".Trim()", 600) + ".Length > 0;", "RB0506", "statement is too long" },
        { "long else-if chain", "var x = 0m; " + string.Join(" else ", Enumerable.Repeat("if (e.total > 1m) { x = 1m; }", 300)) + " return x > 0m;", "RB0506", "statement is too long" },
        { "long ternary chain", "return " + Repeat("e.total > 1m ? true : ", 300) + "false;", "RB0506", "statement is too long" },
        { "very long script", "var x = 0m;\n" + Repeat("x = x + 1m;\n", 6000) + "return x > 0m;", "RB0506", "too long" },
    };

    [Theory]
    [MemberData(nameof(RefusedShapes))]
    public void Refused_when_checked_with_a_stable_code_and_a_caret_inside_the_script(string threat, string code, string expectedCode, string expected)
    {
        // Five quotes delimit the block, so the script may use raw strings of three.
        var text = ScriptRules.Outcome($"  when script \"\"\"\"\"\n{code}\n\"\"\"\"\"");
        var codeStart = text.IndexOf("\"\"\"\"\"\n", StringComparison.Ordinal) + 5;

        var compilation = ScriptRules.Compile(text);

        Assert.False(compilation.Success, threat);
        var error = compilation.Diagnostics.First(d => d.IsError);
        Assert.Equal(expectedCode, error.Code);
        Assert.Contains(expected, error.Message);
        Assert.InRange(error.Span.Start, codeStart, codeStart + code.Length + 1);
        Assert.Matches($@"^rules\.rules:\d+:\d+: error {expectedCode}: ", compilation.Render());
        Assert.Contains("^", compilation.Render());
    }

    public static TheoryData<string, string> AcceptedShapes => new()
    {
        { "64 nested parentheses", "return " + Repeat("(", 63) + "e.total > 1m" + Repeat(")", 63) + ";" },
        {
            "brackets in strings and comments do not count",
            "// " + Repeat("(", 100) + "\n/* " + Repeat("{", 100) + " */\nvar s = \"" + Repeat("[", 100) + "\" + @\"" + Repeat("(", 100)
                + "\"\"\" + '(' + $\"{{{e.order_id}}}\" + \"\"\"" + Repeat("(", 100) + "\"\"\"; return s.Length > 0;"
        },
        { "a long script of short statements", "var x = 0m;\n" + Repeat("x = x + 1m;\n", 1000) + "return x > 0m;" },
        { "a 400-term sum", "return " + string.Join(" + ", Enumerable.Repeat("e.total", 400)) + " > 0m;" },
        { "non-generic recursion", "int F(int n) => n <= 0 ? 0 : F(n - 1) + 1; return F(50) == 50;" },
        { "a small tuple", "var t = (e.total, e.items, e.order_id, meta.Time); return t.Item1 > 1m;" },
    };

    [Theory]
    [MemberData(nameof(AcceptedShapes))]
    public void Ordinary_scripts_within_the_limits_still_compile_and_run(string shape, string code)
    {
        // Five quotes delimit the block, so the script may use raw strings of three.
        var rules = ScriptRules.CompileOk(ScriptRules.Outcome($"  when script \"\"\"\"\"\n{code}\n\"\"\"\"\""));

        Assert.True(rules.Outcomes[0].Condition!(ScriptRules.Order("o1", 5m, 1m)), shape);
    }

    [Fact]
    public void A_script_entered_without_enough_stack_left_is_a_rating_error_not_a_crash()
    {
        var rules = ScriptRules.CompileOk(ScriptRules.Outcome("  when script \"\"\" e.total > 1m \"\"\""));
        var when = rules.Outcomes[0].Condition!;
        Exception? caught = null;
        bool? result = null;

        // A small stack, used up by the host before the script runs: the script must refuse to start.
        var thread = new Thread(() =>
        {
            try
            {
                result = NearTheEndOfTheStack(() => when(ScriptRules.Order("o1", 5m, 1m)));
            }
            catch (Exception ex)
            {
                caught = ex;
            }
        }, 512 * 1024);
        thread.Start();
        thread.Join();

        Assert.Null(result);
        var error = Assert.IsType<RuleEvaluationException>(caught);
        Assert.Equal("RB0905", error.Code);
        Assert.Equal(("rules.rules", 8), (error.Location.File, error.Location.Line));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T NearTheEndOfTheStack<T>(Func<T> action) =>
        RuntimeHelpers.TryEnsureSufficientExecutionStack() ? NearTheEndOfTheStack(action) : action();
}
