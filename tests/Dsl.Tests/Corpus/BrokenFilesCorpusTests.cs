using System.Runtime.CompilerServices;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Corpus;

/// <summary>
/// Each <c>Corpus/*.rules</c> file holds one mistake; its <c>.expected</c> file holds the exact rendered diagnostics.
/// The file name starts with the code the mistake must produce. Set RB_UPDATE_CORPUS=1 to rewrite the expectations
/// (then review the diff: the expectations are the reviewed contract for messages and spans).
/// </summary>
public class BrokenFilesCorpusTests
{
    private static string Folder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Folder(), "*.rules").Order(StringComparer.Ordinal)) data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagnostics_match_the_expected_rendering(string name)
    {
        var text = File.ReadAllText(Path.Combine(Folder(), name + ".rules"));
        var compilation = RuleSetCompiler.Compile([new SourceText(name + ".rules", text)]);
        var actual = compilation.Render();
        var expectedPath = Path.Combine(Folder(), name + ".expected");
        if (Environment.GetEnvironmentVariable("RB_UPDATE_CORPUS") == "1") File.WriteAllText(expectedPath, actual + "\n");

        Assert.False(compilation.Success);
        Assert.Null(compilation.RuleSet);
        Assert.Equal(File.ReadAllText(expectedPath).TrimEnd('\n'), actual);
        var code = name[..6].ToUpperInvariant();
        Assert.All(compilation.Diagnostics, d => Assert.Equal(code, d.Code));
    }

    [Fact]
    public void Corpus_covers_every_checker_code()
    {
        var names = Directory.EnumerateFiles(Folder(), "*.rules").Select(Path.GetFileName).ToArray();
        var codes = names.Select(n => n![..6].ToUpperInvariant()).ToHashSet();
        var expected = Enumerable.Range(1, 9).Select(i => $"RB010{i}")
            .Concat(Enumerable.Range(1, 5).Select(i => $"RB020{i}"))
            .Concat(Enumerable.Range(1, 9).Select(i => $"RB030{i}"))
            .Concat(Enumerable.Range(0, 4).Select(i => $"RB032{i}"))
            .Concat(Enumerable.Range(1, 7).Select(i => $"RB040{i}"));
        Assert.Equal([], expected.Where(c => !codes.Contains(c)));
        Assert.True(names.Length >= 25, $"only {names.Length} corpus files");
    }
}
