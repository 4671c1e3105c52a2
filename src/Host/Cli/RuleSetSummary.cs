using System.Security.Cryptography;
using System.Text;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Host.Cli;

/// <summary>The one-line-per-file summary <c>check</c> prints for a valid rule set.</summary>
internal static class RuleSetSummary
{
    public static IEnumerable<string> PerFile(CompiledRuleSet ruleSet, IReadOnlyList<string> files)
    {
        foreach (var file in files)
        {
            var outcomes = ruleSet.Outcomes.Where(o => SameFile(o.Location.File, file)).Select(o => o.Name).ToList();
            var costs = ruleSet.Costs.Where(c => SameFile(c.Location.File, file)).Select(c => c.Name).ToList();
            var contracts = ruleSet.Contracts.Where(c => SameFile(c.SourceFile, file))
                .GroupBy(c => c.Contract, StringComparer.Ordinal)
                .Select(g => $"{g.Key} v{string.Join(",v", g.Select(v => v.Version).Order())}")
                .ToList();
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(file))))[..12];
            var parts = new List<string>();
            if (outcomes.Count > 0) parts.Add($"outcomes {string.Join(", ", outcomes)}");
            if (costs.Count > 0) parts.Add($"costs {string.Join(", ", costs)}");
            if (contracts.Count > 0) parts.Add($"contracts {string.Join("; ", contracts)}");
            yield return $"{Relative(file)}: ok ({(parts.Count == 0 ? "declarations only" : string.Join("; ", parts))}) sha256 {hash}";
        }

        yield return $"rule set {ruleSet.Hash[..12]}: {ruleSet.Events.Count} event types, {ruleSet.Outcomes.Count} outcomes, "
            + $"{ruleSet.Costs.Count} costs, {ruleSet.Pricings.Count} pricings, {ruleSet.Contracts.Count} contract versions";
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    private static string Relative(string file) => Path.GetRelativePath(Environment.CurrentDirectory, file);
}
