namespace RulesBilling.Host.Tests.Cli;

public sealed class CheckCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rb-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_shipped_pricing_rules_check_with_one_summary_line_per_file()
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "check", "pricing-rules");

        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
        var files = Directory.GetFiles(Path.Combine(CliProcess.RepoRoot, "pricing-rules"), "*.rules", SearchOption.AllDirectories);
        Assert.True(files.Length >= 5, "at least five realistic rule files ship");
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(files.Length + 1, lines.Length);
        foreach (var file in files)
        {
            Assert.Contains(lines, l => l.StartsWith(Path.GetRelativePath(CliProcess.RepoRoot, file) + ": ok (", StringComparison.Ordinal));
        }
        Assert.StartsWith("rule set ", lines[^1]);
    }

    [Fact]
    public void Every_error_is_reported_with_position_and_caret_and_the_exit_code_is_one()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.rules"), """
            event ticket.resolved {
              ticket_id: string
            }

            outcome resolved from ticket.resolved {
              when status == "closed"
              key ticket_id
            }

            outcome other from ticket.missing {
            }
            """);

        var result = CliProcess.Run(_dir, "check", "bad.rules");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.rules:6:8: error RB0102:", result.Stderr);
        Assert.Contains("bad.rules:10:20: error RB0101:", result.Stderr);
        Assert.Contains("    when status == \"closed\"\n         ^^^^^^", result.Stderr);
        Assert.EndsWith("2 errors in 1 file\n", result.Stderr);
    }

    [Fact]
    public void A_missing_path_is_one_readable_line_not_a_stack_trace()
    {
        var result = CliProcess.Run(_dir, "check", "nowhere.rules");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Contains("nowhere.rules", result.Stderr);
    }

    [Fact]
    public void A_usage_error_exits_two_with_one_line()
    {
        var result = CliProcess.Run(_dir, "check");

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("rulesbilling: ", result.Stderr);
    }
}
