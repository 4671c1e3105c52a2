using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Host.Cli;

internal static class RuleLoading
{
    /// <summary>Compiles a rule set for a verb that runs it; on any error prints the diagnostics and fails.</summary>
    public static CompiledRuleSet Load(IEnumerable<string> paths, TextWriter stderr, CompileOptions options)
    {
        var compilation = RuleSetCompiler.CompilePaths(paths, options);
        if (compilation.RuleSet is not null) return compilation.RuleSet;

        foreach (var diagnostic in compilation.Diagnostics.Where(d => d.IsError)) stderr.WriteLine(diagnostic.Render());
        var errors = compilation.Diagnostics.Count(d => d.IsError);
        throw new CliException($"the rule set has {errors} error{(errors == 1 ? "" : "s")}; run 'rulesbilling check' for details");
    }
}
