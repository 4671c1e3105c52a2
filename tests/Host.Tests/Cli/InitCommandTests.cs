using System.Text.Json.Nodes;

namespace RulesBilling.Host.Tests.Cli;

public sealed class InitCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("rb-init-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public void Init_scaffolds_a_folder_that_check_and_simulate_accept()
    {
        var init = CliProcess.Run(_work.FullName, "init", "my-rules");

        Assert.True(init.ExitCode == 0, init.Stderr);
        Assert.Contains("rulesbilling check my-rules", init.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_work.FullName, "my-rules", "billing.rules")));

        var check = CliProcess.Run(_work.FullName, "check", "my-rules");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.Contains("billing.rules: ok", check.Stdout, StringComparison.Ordinal);

        var simulate = CliProcess.Run(_work.FullName, "simulate", "--rules", "my-rules", "--events", "my-rules/test-events.jsonl", "--format", "json", "--strict");
        Assert.True(simulate.ExitCode == 0, simulate.Stderr);
        var invoices = JsonNode.Parse(simulate.Stdout)!["invoices"]!.AsArray();
        // acme: 5 resolved tickets, one unsatisfied (csat 2) and one reopened in its hold: 3 billable, 2 of them free.
        var acme = invoices.Single(i => i!["customer"]!.GetValue<string>() == "acme")!;
        Assert.Equal("50.50", acme["total"]!.GetValue<string>());
        var globex = invoices.Single(i => i!["customer"]!.GetValue<string>() == "globex")!;
        Assert.Equal("49.00", globex["total"]!.GetValue<string>());
    }

    [Fact]
    public void Init_into_the_current_folder_never_overwrites_a_file()
    {
        Assert.Equal(0, CliProcess.Run(_work.FullName, "init").ExitCode);
        File.WriteAllText(Path.Combine(_work.FullName, "billing.rules"), "// mine");

        var again = CliProcess.Run(_work.FullName, "init");

        Assert.Equal(1, again.ExitCode);
        Assert.Equal("rulesbilling: ./billing.rules already exists; init writes only new files (choose another folder)\n", again.Stderr);
        Assert.Equal("// mine", File.ReadAllText(Path.Combine(_work.FullName, "billing.rules")));
    }
}
