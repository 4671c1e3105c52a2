namespace RulesBilling.Dsl.Scripting;

/// <summary>The result of compiling a script: the loaded script, or the problems that refused it (never both).</summary>
internal sealed record ScriptBuild(CompiledScript? Script, IReadOnlyList<ScriptProblem> Problems);
