using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Compilation;

/// <summary>The outcome of compiling a rule set: the model when there is no error, and every diagnostic (sorted by file and position).</summary>
public sealed record RuleSetCompilation(CompiledRuleSet? RuleSet, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Success => RuleSet is not null;

    /// <summary>All diagnostics rendered with source line and caret, separated by newlines.</summary>
    public string Render() => string.Join("\n", Diagnostics.Select(d => d.Render()));
}
