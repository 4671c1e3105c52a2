using RulesBilling.Dsl.Model;

namespace RulesBilling.Host.Api.Features.RuleSets;

/// <summary>The rule set in force for a tenant: an uploaded version (1, 2, …) or the server's start-up rules (version 0).</summary>
internal sealed record ActiveRuleSet(int Version, string Origin, CompiledRuleSet RuleSet);
