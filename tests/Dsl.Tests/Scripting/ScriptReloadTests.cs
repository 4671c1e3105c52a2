using System.Runtime.CompilerServices;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Scripting;

namespace RulesBilling.Dsl.Tests.Scripting;

/// <summary>Reloading script-backed rule sets reuses compiled scripts and lets evicted ones unload.</summary>
public class ScriptReloadTests
{
    private const string Script = """  quantity script "q.csx" """;
    private static readonly Dictionary<string, string> Files = new() { ["q.csx"] = "return e.items * 2m;" };

    [Fact]
    public void Reloading_a_script_backed_rule_set_a_thousand_times_does_not_grow_memory()
    {
        var text = ScriptRules.Outcome(Script);
        var order = ScriptRules.Order("o", 1m, 4m);
        decimal Reload() => ScriptRules.CompileOk(text, files: Files).Outcomes[0].Quantity(order);

        for (var i = 0; i < 50; i++) Assert.Equal(8m, Reload());
        var before = SettledMemory();
        for (var i = 0; i < 1000; i++) Assert.Equal(8m, Reload());
        var after = SettledMemory();

        Assert.True(after - before < 16 * 1024 * 1024, $"memory grew by {after - before} bytes over 1,000 reloads");
    }

    [Fact]
    public void An_evicted_script_is_unloaded_once_nothing_uses_it()
    {
        var cache = new ScriptCache(capacity: 1);
        var schema = new EventSchema("order.paid", [new FieldSchema("items", FieldType.Decimal, false, 0, null)]);

        var first = CompileRunAndForget(cache, schema, "e.items + 1m");
        CompileRunAndForget(cache, schema, "e.items + 2m");
        for (var i = 0; i < 20 && first.IsAlive; i++) SettledMemory();

        Assert.False(first.IsAlive, "the evicted script's load context is still alive");
        Assert.Equal(1, cache.Count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CompileRunAndForget(ScriptCache cache, EventSchema schema, string code)
    {
        var script = cache.GetOrCompile(new EventSurface(schema), ScriptResult.Decimal, code).Script!;
        var e = new RuleEvent("id", "src", "order.paid", "c", DateTimeOffset.UnixEpoch, [4m]);
        Assert.Equal(code.EndsWith("1m", StringComparison.Ordinal) ? 5m : 6m,
            script.Invoke(e, ScriptLimits.Default, new SourceLocation("q.csx", 1, 1)));
        return script.Context;
    }

    private static long SettledMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
