using System.Reflection;
using System.Text.RegularExpressions;
using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Dsl.Tests.Spec;

/// <summary>The diagnostic catalogue, the code names of the stages and the spec's diagnostic tables say the same.</summary>
public sealed class DiagnosticCatalogueTests
{
    [Fact]
    public void Every_code_means_one_thing()
    {
        var repeated = DiagnosticCatalogue.All.GroupBy(d => d.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.Empty(repeated);
        Assert.All(DiagnosticCatalogue.All, d => Assert.Matches(@"^RB\d{4}$", d.Code));
    }

    [Fact]
    public void The_catalogue_and_the_spec_tables_list_the_same_codes_with_the_same_meanings()
    {
        var spec = File.ReadAllLines(SpecExamples.SpecPath);
        var rows = TableRows(spec, "## 14. Diagnostics", "## ").Concat(TableRows(spec, "### 16.5 Diagnostics", "#"));
        var catalogue = DiagnosticCatalogue.All.Select(d => $"{d.Code} | {d.Meaning}");

        Assert.Equal(rows.Order(StringComparer.Ordinal), catalogue.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_code_a_stage_names_is_in_the_catalogue()
    {
        var known = DiagnosticCatalogue.All.Select(d => d.Code).ToHashSet();
        var named = typeof(DiagnosticCodes).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Codes", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(string))
                .Select(f => (Name: $"{t.Name}.{f.Name}", Code: (string)f.GetValue(null)!)))
            .ToList();

        Assert.True(named.Count >= 70, $"expected the code classes of binder and scripts, found {named.Count} names");
        Assert.DoesNotContain(named, n => !known.Contains(n.Code));
    }

    /// <summary>"RBnnnn | meaning" of each row of the first table after the heading, up to the next heading.</summary>
    private static IEnumerable<string> TableRows(string[] spec, string heading, string nextHeading)
    {
        var start = Array.FindIndex(spec, line => line.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"docs/dsl-spec.md has no heading '{heading}'");
        foreach (var line in spec.Skip(start + 1).TakeWhile(line => !line.StartsWith(nextHeading, StringComparison.Ordinal)))
        {
            var row = Regex.Match(line, @"^\| (RB\d{4}) \| (.*?) \| ");
            if (row.Success)
                yield return $"{row.Groups[1].Value} | {row.Groups[2].Value}";
        }
    }
}
