using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Host.Api.Features.RuleSets;

/// <summary>The result of checking rule files: the compiled set when there are no errors, and every diagnostic.</summary>
internal sealed record RuleSetCheck(CompiledRuleSet? RuleSet, IReadOnlyList<Diagnostic> Diagnostics);
