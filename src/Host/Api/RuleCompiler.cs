using RulesBilling.Dsl.Text;
using RulesBilling.Host.Api.Features.RuleSets;

namespace RulesBilling.Host.Api;

/// <summary>Checks rule files with the DSL compiler (wired when the binder's compiler entry point lands).</summary>
internal static class RuleCompiler
{
    public static RuleSetCheck Check(IReadOnlyList<SourceText> files) =>
        throw new NotSupportedException("the rule compiler is not part of this build yet");
}
