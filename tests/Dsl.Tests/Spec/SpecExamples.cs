using System.Text.RegularExpressions;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Spec;

/// <summary>
/// Finds the documented rule examples: the fenced <c>rules</c> / <c>rules-error</c> blocks of docs/dsl-spec.md
/// and the files of pricing-rules/. Examples are named <c>dsl-spec.md:LINE</c> (the line of the opening fence)
/// so each one is its own, stable test case.
/// </summary>
internal static partial class SpecExamples
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly Lazy<IReadOnlyList<SpecBlock>> Blocks = new(() => ReadBlocks(SpecPath));

    public static string SpecPath => Path.Combine(Root.Value, "docs", "dsl-spec.md");

    public static string PricingRulesFolder => Path.Combine(Root.Value, "pricing-rules");

    public static IReadOnlyList<SpecBlock> All => Blocks.Value;

    public static SpecBlock Get(string name) => All.Single(b => b.Name == name);

    public static IEnumerable<string> RuleFileNames() =>
        Directory.GetFiles(PricingRulesFolder, "*.rules").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static SourceText RuleFile(string fileName) => SourceText.FromFile(Path.Combine(PricingRulesFolder, fileName));

    public static IReadOnlyList<SourceText> AllRuleFiles() => RuleFileNames().Select(RuleFile).ToArray();

    /// <summary>The RB codes of the <c>// expect: RBxxxx</c> lines of a block, in the order written.</summary>
    public static IReadOnlyList<string> ExpectedCodes(string text) =>
        text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("// expect:", StringComparison.Ordinal))
            .SelectMany(line => CodePattern().Matches(line).Select(m => m.Value))
            .ToArray();

    private static IReadOnlyList<SpecBlock> ReadBlocks(string path)
    {
        var lines = File.ReadAllLines(path);
        var blocks = new List<SpecBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].Trim();
            var isError = fence == "```rules-error";
            if (fence != "```rules" && !isError) continue;

            var start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++) body.Add(lines[i]);
            if (i == lines.Length) throw new InvalidDataException($"{path}:{start + 1}: the ```rules block is never closed");
            blocks.Add(new SpecBlock($"dsl-spec.md:{start + 1}", isError, string.Join('\n', body) + "\n"));
        }
        return blocks;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RulesBilling.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no RulesBilling.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"RB\d{4}")]
    private static partial Regex CodePattern();
}

/// <summary>One fenced example of the spec: <see cref="IsError"/> for <c>rules-error</c> blocks.</summary>
internal sealed record SpecBlock(string Name, bool IsError, string Text)
{
    public SourceText Source => new(Name, Text);
}
