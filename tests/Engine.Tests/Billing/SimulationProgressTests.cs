using RulesBilling.Dsl.Compilation;
using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Tests.Billing;

public sealed class SimulationProgressTests
{
    private sealed class Recorder : IProgress<SimulationProgress>
    {
        public List<SimulationProgress> Reports { get; } = [];
        public void Report(SimulationProgress value) => Reports.Add(value);
    }

    [Fact]
    public void A_simulation_reports_every_customer_until_all_are_rated()
    {
        var root = RepoRoot();
        var rules = RuleSetCompiler.CompilePaths([Path.Combine(root, "pricing-rules")]).RuleSet!;
        var lines = File.ReadAllLines(Path.Combine(root, "pricing-rules", "samples", "content_agent.jsonl"));
        var recorder = new Recorder();

        var result = UseCases.Simulate(rules, new StringReader(string.Join("\n", lines)), TimeProvider.System, progress: recorder);

        var customers = result.Invoices.Select(i => i.Customer).Distinct().Count();
        Assert.True(customers >= 2, "the content sample bills several customers");
        var last = recorder.Reports[^1];
        Assert.Equal(last.Customers, last.CustomersRated);
        Assert.Equal(lines.Count(l => l.Trim().Length > 0), last.EventsRead);
        Assert.Equal(Enumerable.Range(0, last.Customers + 1), recorder.Reports.Skip(1).Select(r => r.CustomersRated));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "RulesBilling.sln"))) dir = dir.Parent;
        return dir.FullName;
    }
}
