using System.CommandLine;
using RulesBilling.Dsl.Compilation;

namespace RulesBilling.Host.Cli;

/// <summary><c>--allow-scripts</c>: C# scripts in rule files are refused (RB0501) unless the operator turns them on.</summary>
internal static class ScriptSwitch
{
    public static Option<bool> Create() => new("--allow-scripts")
    {
        Description = "Allow C# scripts in rule files (sandboxed by an API allowlist and run-time budgets; review scripts first).",
    };

    public static CompileOptions Options(bool allowScripts) => new() { AllowScripts = allowScripts };
}
