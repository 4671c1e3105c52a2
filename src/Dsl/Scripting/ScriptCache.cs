using RulesBilling.Dsl.Compilation;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// Compiled scripts by content hash (SHA-256 of the generated source: surface, result type and code), so reloading
/// a rule set recompiles nothing that did not change. Bounded: the least recently used entry is evicted and its load
/// context asked to unload, which the runtime completes once no compiled rule set refers to the script.
/// </summary>
internal sealed class ScriptCache(int capacity)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, ScriptBuild Build)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, ScriptBuild Build)> _recency = new();

    public static ScriptCache Shared { get; } = new(256);

    public int Count
    {
        get
        {
            lock (_gate) return _entries.Count;
        }
    }

    public ScriptBuild GetOrCompile(ScriptSurface surface, ScriptResult result, string code)
    {
        // Before any Roslyn parse: a shape Roslyn cannot handle must not reach it (ScriptTemplate.Create parses).
        if (ScriptShapeScan.Check(code) is { } tooComplex) return new ScriptBuild(null, [tooComplex]);
        ScriptTemplate template;
        try
        {
            template = ScriptTemplate.Create(surface, result, code);
        }
        catch (InsufficientExecutionStackException)
        {
            return ScriptCompiler.TooDeep();
        }
        var key = SourceHashing.Of(template.Text);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var hit))
            {
                _recency.Remove(hit);
                _recency.AddFirst(hit);
                return hit.Value.Build;
            }
        }

        // Compiling outside the lock: two threads may compile the same script once each; the first stored wins.
        var build = ScriptCompiler.Compile(template, surface, "script-" + key[..16]);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var raced)) return raced.Value.Build;
            _entries[key] = _recency.AddFirst((key, build));
            while (_entries.Count > capacity) Evict();
            return build;
        }
    }

    private void Evict()
    {
        var oldest = _recency.Last!;
        _recency.RemoveLast();
        _entries.Remove(oldest.Value.Key);
        oldest.Value.Build.Script?.Unload();
    }
}
