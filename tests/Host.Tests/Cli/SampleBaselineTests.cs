namespace RulesBilling.Host.Tests.Cli;

/// <summary>
/// Every shipped sample, simulated through the real CLI over the whole pricing-rules folder (as the README does), byte for
/// byte against Golden/simulate-NAME.json. These pin the invoices of today's rule files: a new construct, a refactoring
/// or a new rule file must leave them unchanged. RB_UPDATE_GOLDEN=1 rewrites them; review the diff.
/// </summary>
public sealed class SampleBaselineTests
{
    [Theory]
    [InlineData("support_agent")]
    [InlineData("sales_agent")]
    [InlineData("content_agent")]
    [InlineData("hybrid_platform")]
    [InlineData("multi_agent_workflow")]
    [InlineData("lead_gen_agent")]
    [InlineData("code_review_agent")]
    public void A_sample_simulates_to_its_baseline_json(string sample)
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "simulate", "--rules", "pricing-rules",
            "--events", $"pricing-rules/samples/{sample}.jsonl", "--format", "json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var path = Path.Combine(SourceFolder(), "Golden", $"simulate-{sample}.json");
        if (Environment.GetEnvironmentVariable("RB_UPDATE_GOLDEN") == "1") File.WriteAllText(path, result.Stdout);
        Assert.Equal(File.ReadAllText(path), result.Stdout);
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
