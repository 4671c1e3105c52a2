using System.Text.Json;

namespace RulesBilling.Host.Tests.Cli;

/// <summary>
/// Issue 12 through the real CLI: script-only pricings, guards over a split period, exclusions listed once, and
/// events that bill nowhere (reported, and failing the run under <c>--strict</c>).
/// </summary>
public sealed class SimulateEdgeCaseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rb-sim-edge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Tasks = """
        event task.done {
          task_id: string
        }

        outcome task from task.done {
          key task_id
        }

        """;

    private static string Event(string id, string customer, string time, string task) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"s","type":"task.done","subject":"{{{customer}}}","time":"{{{time}}}","data":{"task_id":"{{{task}}}"}}""";

    private CliProcess.Result Simulate(string rules, IEnumerable<string> events, params string[] args)
    {
        File.WriteAllText(Path.Combine(_dir, "r.rules"), rules);
        File.WriteAllText(Path.Combine(_dir, "e.jsonl"), string.Join("\n", events) + "\n");
        return CliProcess.Run(_dir, ["simulate", "--rules", "r.rules", "--events", "e.jsonl", .. args]);
    }

    [Fact]
    public void A_script_only_pricing_is_rated_in_the_contract_currency_instead_of_crashing()
    {
        var rules = Tasks + """"
            pricing p {
              charge task {
                script """ 2.5m * charge.BilledQuantity """
              }
            }

            contract c version 1 effective 2026-01-01 {
              customers default
              pricing p
              currency USD
            }
            """";

        var result = Simulate(rules, [Event("e1", "acme", "2026-01-05T10:00:00Z", "A"), Event("e2", "acme", "2026-01-06T10:00:00Z", "B")],
            "--allow-scripts", "--format", "json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        var invoice = Assert.Single(doc.RootElement.GetProperty("invoices").EnumerateArray());
        Assert.Equal(("USD", "5.00"), (invoice.GetProperty("currency").GetString(), invoice.GetProperty("total").GetString()));
        Assert.Empty(doc.RootElement.GetProperty("errors").EnumerateArray());
    }
}
