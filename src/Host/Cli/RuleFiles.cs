namespace RulesBilling.Host.Cli;

internal static class RuleFiles
{
    /// <summary>Files named directly, plus every *.rules file under named folders, in ordinal order.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths) =>
        paths.SelectMany(p => Directory.Exists(p)
                ? Directory.EnumerateFiles(p, "*.rules", SearchOption.AllDirectories)
                : [p])
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
}
