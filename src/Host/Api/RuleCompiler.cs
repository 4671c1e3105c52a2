using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Text;
using RulesBilling.Host.Api.Features.RuleSets;

namespace RulesBilling.Host.Api;

/// <summary>Checks uploaded rule files with the DSL compiler.</summary>
internal static class RuleCompiler
{
    /// <summary>Checks with scripts off, the default of a server started without <c>--allow-scripts</c>.</summary>
    public static RuleSetCheck Check(IReadOnlyList<SourceText> files) => Check(files, CompileOptions.Default);

    /// <summary>Uploaded rule sets cannot reference script files (RB0502); with scripts allowed they may inline them.</summary>
    public static RuleSetCheck Check(IReadOnlyList<SourceText> files, CompileOptions options)
    {
        var compilation = RuleSetCompiler.Compile(files, options);
        return new RuleSetCheck(compilation.RuleSet, compilation.Diagnostics);
    }
}
