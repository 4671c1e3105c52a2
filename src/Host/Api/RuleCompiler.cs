using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Text;
using RulesBilling.Host.Api.Features.RuleSets;

namespace RulesBilling.Host.Api;

/// <summary>Checks uploaded rule files with the DSL compiler.</summary>
internal static class RuleCompiler
{
    public static RuleSetCheck Check(IReadOnlyList<SourceText> files)
    {
        var compilation = RuleSetCompiler.Compile(files);
        return new RuleSetCheck(compilation.RuleSet, compilation.Diagnostics);
    }
}
