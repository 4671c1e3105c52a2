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

    private const string CarriedCoupon = """
        event task.done {
          task_id: string
          units: integer
        }

        outcome task from task.done {
          key task_id
          quantity units
        }

        pricing metered {
          base 50 USD
          charge task {
            unit 10 USD
          }
        }

        coupon welcome {
          amount 150 USD
          once
        }

        tax vat {
          rate 20% exclusive
        }

        contract plan version 1 effective 2026-01-01 {
          customers "acme"
          pricing metered
          thresholds 100 USD
          coupon welcome
          tax vat
        }
        """;

    private static string Task(string id, string time, int units) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"agent","type":"task.done","subject":"acme","time":"{{{time}}}","data":{"task_id":"{{{id}}}","units":{{{units}}}}}""";

    /// <summary>
    /// The figures of tests/Engine.Tests/Billing/CarriedCouponThresholdTests.cs, which finalize gives: March 90 − 90 of
    /// the coupon = 0.00; April's threshold invoice at 110 USD of usage spends the 60 left, 50 + 10 VAT = 60.00; April's
    /// invoice 160 − 60 = 100, + 20 VAT, − the 60 billed = 60.00.
    /// </summary>
    [Fact]
    public void A_once_coupon_carried_into_a_period_with_thresholds_gives_the_totals_of_finalize()
    {
        var rules = Path.Combine(_dir, "carried.rules");
        var events = Path.Combine(_dir, "carried.jsonl");
        File.WriteAllText(rules, CarriedCoupon);
        File.WriteAllLines(events, [Task("e1", "2026-03-02T10:00:00Z", 4), Task("e2", "2026-04-02T10:00:00Z", 4), Task("e3", "2026-04-05T10:00:00Z", 7)]);

        var json = CliProcess.Run(_dir, "simulate", "--rules", rules, "--events", events, "--format", "json");

        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Stdout);
        var invoices = doc.RootElement.GetProperty("invoices").EnumerateArray()
            .Select(i => (i.GetProperty("kind").GetString(), i.GetProperty("total").GetString())).ToList();
        Assert.Equal([("invoice", "0.00"), ("threshold", "60.00"), ("invoice", "60.00")], invoices);
    }
}
