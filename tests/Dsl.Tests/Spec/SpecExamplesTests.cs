using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Spec;

/// <summary>
/// The documentation is executable: every example of docs/dsl-spec.md and every file of pricing-rules/ is
/// compiled with the real compiler. <c>rules</c> blocks and rule files must check without diagnostics;
/// <c>rules-error</c> blocks must produce exactly the codes of their <c>// expect:</c> lines, in source order.
/// </summary>
public sealed class SpecExamplesTests
{
    public static TheoryData<string> CleanExamples() => new(SpecExamples.All.Where(b => !b.IsError).Select(b => b.Name));

    public static TheoryData<string> ErrorExamples() => new(SpecExamples.All.Where(b => b.IsError).Select(b => b.Name));

    public static TheoryData<string> RuleFiles() => new(SpecExamples.RuleFileNames());

    [Theory]
    [MemberData(nameof(CleanExamples))]
    public void Rules_example_checks_without_diagnostics(string example)
    {
        var block = SpecExamples.Get(example);

        var diagnostics = Check([block.Source]);

        Assert.True(diagnostics.Count == 0, Describe(block.Name, diagnostics));
    }

    [Theory]
    [MemberData(nameof(ErrorExamples))]
    public void Rules_error_example_produces_exactly_the_expected_codes(string example)
    {
        var block = SpecExamples.Get(example);
        var expected = SpecExamples.ExpectedCodes(block.Text);

        var diagnostics = Check([block.Source], new CompileOptions { AllowScripts = block.AllowScripts });

        Assert.NotEmpty(expected);
        Assert.True(expected.SequenceEqual(diagnostics.Select(d => d.Code)),
            $"expected [{string.Join(", ", expected)}]\n{Describe(block.Name, diagnostics)}");
    }

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public void Pricing_rule_file_checks_without_diagnostics(string fileName)
    {
        var diagnostics = Check([SpecExamples.RuleFile(fileName)]);

        Assert.True(diagnostics.Count == 0, Describe(fileName, diagnostics));
    }

    [Fact]
    public void Pricing_rules_folder_checks_as_one_rule_set()
    {
        var files = SpecExamples.AllRuleFiles();

        var diagnostics = Check(files);

        Assert.True(files.Count >= 5, $"pricing-rules/ should hold at least five rule files, found {files.Count}");
        Assert.True(diagnostics.Count == 0, Describe("pricing-rules/", diagnostics));
    }

    [Fact]
    public void Every_checker_code_of_the_diagnostic_table_has_an_error_example()
    {
        var table = File.ReadAllLines(SpecExamples.SpecPath)
            .Where(line => line.StartsWith("| RB0", StringComparison.Ordinal))
            .Select(line => line[2..8])
            .Where(code => code != "RB0006" && !code.StartsWith("RB09", StringComparison.Ordinal)) // missing file; run-time rating errors
            .ToArray();
        var demonstrated = SpecExamples.All.Where(b => b.IsError).SelectMany(b => SpecExamples.ExpectedCodes(b.Text)).ToHashSet();

        var missing = table.Where(code => !demonstrated.Contains(code)).ToArray();

        Assert.Equal(89, table.Length);
        Assert.True(missing.Length == 0, $"codes without a rules-error example: {string.Join(", ", missing)}");
    }

    /// <summary>Diagnostics in source order (file, then position), so expectations read top to bottom.</summary>
    private static IReadOnlyList<Diagnostic> Check(IReadOnlyList<SourceText> sources, CompileOptions? options = null)
    {
        var result = RuleSetCompiler.Compile(sources, options ?? CompileOptions.Default);
        return result.Diagnostics
            .OrderBy(d => d.Source.Path, StringComparer.Ordinal)
            .ThenBy(d => d.Span.Start)
            .ToArray();
    }

    private static string Describe(string name, IReadOnlyList<Diagnostic> diagnostics) =>
        diagnostics.Count == 0
            ? $"{name}: no diagnostics"
            : $"{name}:\n" + string.Join('\n', diagnostics.Select(d => d.Render()));
}
