namespace RulesBilling.Host.Tests.Cli.Review;

public sealed class SimulateStdinTests
{
    // Both rule sets of --compare read the events; from stdin the second would silently rate nothing.
    [Fact]
    public void Compare_refuses_events_from_stdin_with_one_line_and_exit_2()
    {
        var events = File.ReadAllText(Path.Combine(CliProcess.RepoRoot, "pricing-rules/samples/support_agent.jsonl"));

        var result = CliProcess.RunWithInput(CliProcess.RepoRoot, events,
            "simulate", "--rules", "pricing-rules", "--events", "-", "--compare", "pricing-rules");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("rulesbilling: --compare needs an events file, not '-' (stdin can be read only once)", result.Stderr.Trim());
    }
}
