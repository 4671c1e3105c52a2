using System.Text.RegularExpressions;
using RulesBilling.Dsl.Compilation;

namespace RulesBilling.Dsl.Tests.Scripting;

/// <summary>The script examples of docs/dsl-spec.md §16: <c>rules-script</c> blocks check with scripts enabled and are refused without.</summary>
public partial class SpecScriptExamplesTests
{
    [GeneratedRegex(@"```rules-script\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();

    private static string Spec()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Join(dir.FullName, "docs", "dsl-spec.md"))) dir = dir.Parent;
        return File.ReadAllText(Path.Join(dir!.FullName, "docs", "dsl-spec.md"));
    }

    [Fact]
    public void Script_examples_check_when_scripts_are_enabled_and_price_as_described()
    {
        var blocks = ScriptBlock().Matches(Spec()).Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            var rules = ScriptRules.CompileOk(block);
            var disabled = ScriptRules.Compile(block, CompileOptions.Default);
            Assert.All(disabled.Diagnostics, d => Assert.Equal("RB0501", d.Code));
            Assert.NotEmpty(disabled.Diagnostics);

            var outcome = rules.Outcomes[0];
            var order = ScriptRules.Order(" ab-1 ", 20m, 12m, "SPRING-25");
            Assert.Equal((true, "AB-1", 11m, 18.0m), (outcome.Condition!(order), outcome.Key!(order), outcome.Quantity(order), outcome.Value!(order)));
            Assert.Equal("SPRING", outcome.Dimensions[0].Selector(order));
        }
    }
}
