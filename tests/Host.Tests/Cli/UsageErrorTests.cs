namespace RulesBilling.Host.Tests.Cli;

/// <summary>Usage errors through the real executable: one line on stderr, the closest known name, exit 2; and the help verb.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rb-usage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(new[] { "simulat" }, "rulesbilling: unknown command 'simulat'; did you mean 'simulate'? (run 'rulesbilling help')\n")]
    [InlineData(new[] { "frobnicate" }, "rulesbilling: unknown command 'frobnicate'; the commands are check, simulate, explain, entitlements, serve, repl, migrate, import, sync, reconcile, journal, init, help (run 'rulesbilling help')\n")]
    [InlineData(new[] { "simulate", "--rule", "pricing-rules", "--events", "x.jsonl" }, "rulesbilling: unknown option '--rule' for 'simulate'; did you mean '--rules'? (run 'rulesbilling help simulate')\n")]
    [InlineData(new[] { "check", "--allow-script", "pricing-rules" }, "rulesbilling: unknown option '--allow-script' for 'check'; did you mean '--allow-scripts'? (run 'rulesbilling help check')\n")]
    [InlineData(new[] { "simulate", "--rules", "pricing-rules", "--events", "x.jsonl", "--format", "xml" }, "rulesbilling: Argument 'xml' not recognized. Must be one of: 'table', 'json' (run 'rulesbilling help simulate')\n")]
    [InlineData(new[] { "help", "simulat" }, "rulesbilling: help: unknown command 'simulat'; did you mean 'simulate'? (run 'rulesbilling help')\n")]
    [InlineData(new string[0], "rulesbilling: name a command: check, simulate, explain, entitlements, serve, repl, migrate, import, sync, reconcile, journal, init, help (run 'rulesbilling help')\n")]
    public void A_usage_error_is_one_line_naming_the_closest_known_name_and_exits_2(string[] args, string stderr)
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, args);

        Assert.Equal((2, "", stderr), (result.ExitCode, result.Stdout, result.Stderr));
    }

    [Fact]
    public void Help_lists_the_commands_and_help_verb_shows_the_options_of_that_verb()
    {
        var all = CliProcess.Run(CliProcess.RepoRoot, "help");
        var simulate = CliProcess.Run(CliProcess.RepoRoot, "help", "simulate");

        Assert.Equal((0, ""), (all.ExitCode, all.Stderr));
        Assert.Equal(CliProcess.Run(CliProcess.RepoRoot, "--help").Stdout, all.Stdout);
        foreach (var verb in new[] { "check", "simulate", "serve", "repl", "help" }) Assert.Matches($"(?m)^  {verb} ", all.Stdout);
        Assert.Equal((0, ""), (simulate.ExitCode, simulate.Stderr));
        Assert.Equal(CliProcess.Run(CliProcess.RepoRoot, "simulate", "--help").Stdout, simulate.Stdout);
        Assert.Contains("--rules", simulate.Stdout);
        Assert.Contains("--compare", simulate.Stdout);
    }

    [Fact]
    public void Malformed_lines_of_an_events_file_are_reported_as_file_line_col_reason_without_parser_internals()
    {
        var events = Path.Combine(_dir, "events.jsonl");
        var good = File.ReadLines(Path.Combine(CliProcess.RepoRoot, "pricing-rules/samples/sales_agent.jsonl")).Take(4);
        File.WriteAllLines(events, [.. good, "{\"specversion\":\"1.0\", bad", "[1]", "{\"a\":"]);

        var result = CliProcess.Run(CliProcess.RepoRoot, "simulate", "--rules", "pricing-rules/sales_agent.rules", "--events", events);

        var reported = result.Stdout.Split('\n').SkipWhile(l => !l.Contains("rejected at ingestion", StringComparison.Ordinal)).Skip(1).Take(3).ToArray();
        Assert.Equal(
        [
            $"  {events}:5:23: malformed JSON: 'b' is an invalid start of a property name. Expected a '\"'",
            $"  {events}:6:1: a CloudEvent must be a JSON object, not an array",
            $"  {events}:7:6: malformed JSON: the line ends inside an unclosed object or array",
        ], reported);
        Assert.DoesNotContain("LineNumber", result.Stdout + result.Stderr);
        Assert.DoesNotContain("BytePositionInLine", result.Stdout + result.Stderr);
    }

    [Fact]
    public void Entitlements_reports_a_rejected_line_as_file_line_col_reason()
    {
        var events = Path.Combine(_dir, "events.jsonl");
        File.WriteAllLines(events, [File.ReadLines(Path.Combine(CliProcess.RepoRoot, "pricing-rules/samples/sales_agent.jsonl")).First(), "{\"id\": 1,"]);

        var result = CliProcess.Run(CliProcess.RepoRoot, "entitlements", "--rules", "pricing-rules/sales_agent.rules", "--events", events, "--customer", "contoso-growth");

        Assert.Equal($"{events}:2:9: malformed JSON: the line ends before the JSON value is complete\n", result.Stderr);
    }
}
