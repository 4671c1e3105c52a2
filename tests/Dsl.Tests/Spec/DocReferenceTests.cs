using System.Text.RegularExpressions;

namespace RulesBilling.Dsl.Tests.Spec;

/// <summary>
/// Comments and documents point readers at Markdown files and at numbered sections of them. A pointer at a file
/// that does not exist, or at a section the file does not have, sends the reader nowhere, so every such reference in
/// src/, tests/, docs/, pricing-rules/ and README.md must resolve: the file (relative to the referring file, the
/// repository root or docs/), and for <c>dsl-spec.md §N.N</c> (or <c>spec §N</c> in code, or a bare <c>§N</c> inside a
/// Markdown file, meaning its own sections) a heading with that number — and, when the reference quotes a title
/// (<c>§7 "Outcomes"</c>), a heading of that number containing the title.
/// </summary>
public sealed partial class DocReferenceTests
{
    private static readonly string Root = Path.GetDirectoryName(SpecExamples.PricingRulesFolder)!;

    private static readonly string[] ScannedFolders = ["src", "tests", "docs", "pricing-rules"];
    private static readonly string[] ScannedExtensions = [".cs", ".md", ".rules", ".csx", ".csproj", ".props"];

    [Fact]
    public void Every_markdown_file_named_in_the_repository_exists()
    {
        var broken = References().Where(r => Resolve(r.File, r.Target) is null)
            .Select(r => $"{r.File}:{r.Line}: {r.Target}").ToList();

        Assert.True(broken.Count == 0, "references to missing files:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void Every_numbered_section_reference_names_an_existing_heading()
    {
        var broken = new List<string>();
        foreach (var (file, line, document, number, title) in SectionReferences())
        {
            var headings = Headings(document);
            var matching = headings.Where(h => h.Number == number).ToList();
            if (matching.Count == 0)
                broken.Add($"{file}:{line}: {Rel(document)} has no section §{number}");
            else if (title is not null && !matching.Any(h => h.Title.Contains(title, StringComparison.OrdinalIgnoreCase)))
                broken.Add($"{file}:{line}: §{number} of {Rel(document)} is \"{matching[0].Title}\", not \"{title}\"");
        }

        Assert.True(broken.Count == 0, "section references that do not resolve:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void The_scanner_sees_references_and_headings_the_way_a_reader_does()
    {
        // Guards the scan itself, so an empty result above means "all resolve", not "found nothing".
        var references = References().ToList();
        Assert.Contains(references, r => r.File == "README.md" && r.Target == "docs/dsl-spec.md");
        Assert.Contains(SectionReferences(), r => r.Number == "16" && Rel(r.Document) == "docs/dsl-spec.md");
        Assert.Null(Resolve("src/Dsl/X.cs", "NO-SUCH-FILE" + ".md"));
        var spec = Headings(Path.Combine(Root, "docs", "dsl-spec.md"));
        Assert.Contains(spec, h => h is { Number: "9.10", Title: "Order of application" });
        // A '#' line inside a fenced block is code, not a heading.
        Assert.DoesNotContain(spec, h => h.Title.Length == 0);
    }

    private sealed record Reference(string File, int Line, string Target);

    private sealed record Heading(string Number, string Title);

    private static IEnumerable<Reference> References()
    {
        foreach (var path in ScannedFiles())
        {
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match m in MarkdownFile().Matches(lines[i]))
                {
                    if (IsUrl(lines[i], m.Index)) continue;
                    yield return new Reference(Rel(path), i + 1, m.Value);
                }
            }
        }
    }

    private static IEnumerable<(string File, int Line, string Document, string Number, string? Title)> SectionReferences()
    {
        var spec = Path.Combine(Root, "docs", "dsl-spec.md");
        foreach (var path in ScannedFiles())
        {
            var isMarkdown = path.EndsWith(".md", StringComparison.Ordinal);
            // The whole text at once, so a reference wrapped across lines ("dsl-spec.md\n§15") is still one reference.
            var text = WithoutFencedBlocks(File.ReadAllLines(path));
            foreach (Match m in SectionReference().Matches(text))
            {
                var named = m.Groups["file"].Value;
                string document;
                if (named.Length > 0) document = named == "spec" ? spec : Resolve(Rel(path), named) ?? spec;
                else if (isMarkdown) document = path;
                else continue; // a bare § in code has no document to check against
                var title = m.Groups["title"].Success ? m.Groups["title"].Value : null;
                var line = text.AsSpan(0, m.Groups["number"].Index).Count('\n') + 1;
                yield return (Rel(path), line, document, m.Groups["number"].Value, title);
            }
        }
    }

    // Fenced blocks are code and examples, not prose: blanked, keeping the line count.
    private static string WithoutFencedBlocks(string[] lines)
    {
        var inFence = false;
        var kept = new string[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal);
            if (fence) inFence = !inFence;
            kept[i] = inFence || fence ? "" : lines[i];
        }
        return string.Join('\n', kept);
    }

    private static IReadOnlyList<Heading> Headings(string markdownPath)
    {
        var headings = new List<Heading>();
        var inFence = false;
        foreach (var line in File.ReadLines(markdownPath))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
            if (inFence) continue;
            var m = HeadingLine().Match(line);
            if (m.Success) headings.Add(new Heading(m.Groups["number"].Value, m.Groups["title"].Value.Trim()));
        }
        return headings;
    }

    /// <summary>The referenced file, looked up next to the referring file, at the root, then in docs/; null when missing.</summary>
    private static string? Resolve(string referringFile, string target)
    {
        var folder = Path.GetDirectoryName(Path.Combine(Root, referringFile))!;
        return new[] { folder, Root, Path.Combine(Root, "docs") }
            .Select(f => Path.GetFullPath(Path.Combine(f, target)))
            .FirstOrDefault(File.Exists);
    }

    private static IEnumerable<string> ScannedFiles()
    {
        yield return Path.Combine(Root, "README.md");
        foreach (var folder in ScannedFolders)
        {
            foreach (var path in Directory.EnumerateFiles(Path.Combine(Root, folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Rel(path);
                if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal)) continue;
                if (ScannedExtensions.Contains(Path.GetExtension(path))) yield return path;
            }
        }
    }

    private static bool IsUrl(string line, int index)
    {
        var start = line.LastIndexOfAny([' ', '(', '<', '"', '`', '\''], Math.Max(0, index - 1)) + 1;
        return line.AsSpan(start, index - start).Contains("://", StringComparison.Ordinal);
    }

    private static string Rel(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    // A path of word characters, dots and dashes ending in .md, not glued to more path or word text.
    [GeneratedRegex(@"(?<![\w./-])(?:[\w.-]+/)*[\w-][\w.-]*\.md(?![\w-])")]
    private static partial Regex MarkdownFile();

    // "dsl-spec.md §9.10", "docs/dsl-spec.md §2 \"Features\"", "spec §3" or a bare "§4"; the number ends before a
    // sentence's final dot.
    [GeneratedRegex(@"(?:(?<file>(?:[\w.-]+/)*[\w.-]+\.md|\bspec)\)?\s+)?§\s?(?<number>\d+(?:\.\d+)*)(?:\s+""(?<title>[^""]+)"")?")]
    private static partial Regex SectionReference();

    [GeneratedRegex(@"^#{1,6}\s+(?<number>\d+(?:\.\d+)*)\.?\s+(?<title>.+)$")]
    private static partial Regex HeadingLine();
}
