using System.Text.Json;

namespace RulesBilling.Host.Tests.Cli;

/// <summary><c>simulate</c> and <c>simulate --compare</c> over the threshold sample (docs/dsl-spec.md §10.9).</summary>
public sealed class ThresholdSimulateTests : IDisposable
{
    private const string Rules = "pricing-rules/research_agent.rules";
    private const string Events = "pricing-rules/samples/research_agent.jsonl";
    private readonly string _dir = Directory.CreateTempSubdirectory("rb-thr-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Dropping_the_thresholds_changes_the_documents_but_not_what_the_period_bills()
    {
        var without = Path.Combine(_dir, "without.rules");
        File.WriteAllText(without, File.ReadAllText(Path.Combine(CliProcess.RepoRoot, Rules)).Replace("  thresholds 100 USD, 250 USD then every 250 USD\n", ""));

        var json = CliProcess.Run(CliProcess.RepoRoot, "simulate", "--rules", Rules, "--events", Events, "--compare", without, "--format", "json");

        Assert.Equal(3, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Stdout);
        var totals = Assert.Single(doc.RootElement.GetProperty("summary").GetProperty("totals").EnumerateArray());
        Assert.Equal(("520.00", "520.00", "0.00"),
            (totals.GetProperty("before").GetString(), totals.GetProperty("after").GetString(), totals.GetProperty("difference").GetString()));
    }

    [Fact]
    public void The_table_names_each_threshold_invoice()
    {
        var table = CliProcess.Run(CliProcess.RepoRoot, "simulate", "--rules", Rules, "--events", Events);

        Assert.Equal(0, table.ExitCode);
        // The table may wrap its title at the terminal width.
        var text = System.Text.RegularExpressions.Regex.Replace(table.Stdout, @"\s+", " ");
        Assert.Contains("USD · draft · threshold invoice: 100.00 USD reached at 2026-01-09T09:00:00Z", text);
        Assert.Contains("USD · draft · threshold invoice: 250.00 USD reached at 2026-01-22T09:00:00Z", text);
        Assert.Contains("Billed by threshold invoices", text);
    }
}
