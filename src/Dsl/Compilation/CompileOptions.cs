using RulesBilling.Dsl.Scripting;

namespace RulesBilling.Dsl.Compilation;

/// <summary>
/// Options of <see cref="RuleSetCompiler"/>. C# scripts are off by default: a rule set that references one is refused
/// with RB0501 unless <see cref="AllowScripts"/> is set (the CLI's and server's <c>--allow-scripts</c>).
/// </summary>
public sealed record CompileOptions
{
    public static CompileOptions Default { get; } = new();

    public bool AllowScripts { get; init; }

    /// <summary>Run-time bounds of every script invocation.</summary>
    public ScriptLimits ScriptLimits { get; init; } = ScriptLimits.Default;

    /// <summary>
    /// Reads <c>script "file.csx"</c> references: (rule file path, referenced path) → the script's path and text, or null
    /// when it is not available. Null (the default for in-memory sources) makes file references an error (RB0502):
    /// uploaded rule sets must inline their scripts. <see cref="RuleSetCompiler.CompilePaths(IEnumerable{string}, CompileOptions)"/>
    /// reads files next to each rule file.
    /// </summary>
    public Func<string, string, (string Path, string Text)?>? ScriptFiles { get; init; }

    internal ScriptCache Cache { get; init; } = ScriptCache.Shared;
}
