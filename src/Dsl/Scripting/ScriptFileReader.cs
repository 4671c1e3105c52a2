namespace RulesBilling.Dsl.Scripting;

/// <summary>Reads <c>script "x.csx"</c> files from disk, confined to the referencing rule file's folder and below.</summary>
internal static class ScriptFileReader
{
    public static (string Path, string Text)? NextToRuleFile(string rulePath, string reference)
    {
        if (Path.IsPathRooted(reference)) return null;
        var folder = Path.GetDirectoryName(rulePath) ?? "";
        var root = Path.GetFullPath(string.IsNullOrEmpty(folder) ? "." : folder);
        var full = Path.GetFullPath(Path.Join(root, reference));
        if (!full.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
        try
        {
            // A link could point anywhere; only plain files inside the folder are read.
            if (!File.Exists(full) || new FileInfo(full).LinkTarget is not null) return null;
            return (Path.Join(folder, reference).Replace('\\', '/'), File.ReadAllText(full));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
