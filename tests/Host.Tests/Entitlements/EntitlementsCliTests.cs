using System.Text.Json.Nodes;
using RulesBilling.Host.Tests.Cli;

namespace RulesBilling.Host.Tests.Entitlements;

/// <summary><c>rulesbilling entitlements</c> run as a child process on a rule file with features and a JSON Lines event file.</summary>
public sealed class EntitlementsCliTests : IDisposable
{
    private const string Rules = """
        event ticket.resolved {
          ticket_id: string
        }
        outcome resolved from ticket.resolved {
          key ticket_id
        }
        pricing support {
          charge resolved { unit 2 USD }
        }
        feature resolutions metered outcome resolved
        feature premium bool
        feature max_agents integer
        contract standard version 1 effective 2026-01-01 {
          customers default
          pricing support
          currency USD
          period monthly
          features {
            resolutions limit 4 hard
            premium
            max_agents: 5
          }
        }
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rb-entitlements-cli", Guid.NewGuid().ToString("N"));

    public EntitlementsCliTests()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "features.rules"), Rules);
        File.WriteAllLines(Path.Combine(_folder, "events.jsonl"),
        [
            Api.EventTests.Event("e1", "cust-1", "T-1", "2026-03-02T10:00:00Z"),
            Api.EventTests.Event("e2", "cust-1", "T-2", "2026-03-03T10:00:00Z"),
            Api.EventTests.Event("e3", "cust-1", "T-3", "2026-03-04T10:00:00Z"),
            // Another customer's usage does not count for cust-1.
            Api.EventTests.Event("e4", "cust-2", "T-4", "2026-03-04T11:00:00Z"),
        ]);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private CliProcess.Result Run(params string[] args) => CliProcess.Run(_folder, ["entitlements", "--rules", "features.rules", .. args]);

    [Fact]
    public void The_table_shows_each_feature_with_usage_limit_and_reset()
    {
        var result = Run("--events", "events.jsonl", "--customer", "cust-1");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("", result.Stderr);
        Assert.Equal(
        [
            "cust-1 at 2026-03-04T10:00:00Z (contract standard v1)",
            "feature      kind     access  value  usage  limit   remaining  overage  resets",
            "max_agents   integer  yes     5",
            "premium      bool     yes     on",
            "resolutions  metered  yes            3      4 hard  1          0        2026-04-01T00:00:00Z",
        ], result.Stdout.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Json_is_the_api_document_and_at_moves_the_instant()
    {
        var result = Run("--events", "events.jsonl", "--customer", "cust-1", "--format", "json", "--at", "2026-03-02T12:00:00Z");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var document = JsonNode.Parse(result.Stdout)!;
        Assert.Equal(("cust-1", "standard", 1), (document["customer"]!.GetValue<string>(), document["contract"]!.GetValue<string>(), document["version"]!.GetValue<int>()));
        var resolutions = document["features"]!.AsArray().Single(f => f!["feature"]!.GetValue<string>() == "resolutions")!;
        // Only e1 happened by noon on 2 March.
        Assert.Equal(("1", "4", "3", true), (resolutions["usage"]!.GetValue<string>(), resolutions["limit"]!.GetValue<string>(),
            resolutions["remaining"]!.GetValue<string>(), resolutions["hasAccess"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("--at", "yesterday", "--at must be an ISO 8601 instant")]
    [InlineData("--events", "missing.jsonl", "events file 'missing.jsonl' does not exist")]
    public void Bad_input_is_one_readable_line_and_a_non_zero_exit(string option, string value, string message)
    {
        string[] args = option == "--at" ? ["--events", "events.jsonl", "--customer", "cust-1", option, value] : ["--customer", "cust-1", option, value];

        var result = Run(args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(message, line, StringComparison.Ordinal);
    }
}
