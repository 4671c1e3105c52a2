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

    /// <summary>1 USD per task under v1, 2 USD under v2 from mid-January; a guard over revenue.</summary>
    private const string Versioned = Tasks + """
        pricing p1 {
          base 10 USD
          charge task { unit 1 USD }
          guard big: revenue() > 2 USD then alert
        }

        pricing p2 {
          charge task { unit 2 USD }
          guard big: revenue() > 2 USD then alert
        }

        contract c version 1 effective 2026-01-01 {
          customers default
          pricing p1
          currency USD
        }

        contract c version 2 effective 2026-01-16 {
          customers default
          pricing p2
          currency USD
        }
        """;

    private static readonly string[] SplitMonth =
    [
        Event("e1", "acme", "2026-01-05T10:00:00Z", "A"),
        Event("e2", "acme", "2026-01-20T10:00:00Z", "B"),
        Event("e3", "acme", "2026-01-21T10:00:00Z", "A"),
        Event("e4", "acme", "2026-02-03T10:00:00Z", "A"),
    ];

    [Fact]
    public void A_split_period_has_one_guard_result_over_the_whole_invoice()
    {
        var result = Simulate(Versioned, SplitMonth, "--format", "json", "--to", "2026-01-31");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        var guard = Assert.Single(doc.RootElement.GetProperty("guards").EnumerateArray());
        // 1.00 (v1) + 2.00 (v2) = 3.00 > 2.00: neither half alone would trigger.
        Assert.True(guard.GetProperty("triggered").GetBoolean());
        Assert.Equal("revenue 3.00 USD, count 2, cost 0.00 USD, margin 100% (whole invoice, 2 segments)", guard.GetProperty("detail").GetString());
    }

    [Fact]
    public void Each_excluded_event_is_listed_once_and_the_table_count_matches_the_json()
    {
        var json = Simulate(Versioned, SplitMonth, "--format", "json");
        var table = Simulate(Versioned, SplitMonth);

        using var doc = JsonDocument.Parse(json.Stdout);
        var excluded = doc.RootElement.GetProperty("invoices").EnumerateArray()
            .SelectMany(i => i.GetProperty("lines").EnumerateArray().SelectMany(l => l.GetProperty("excluded").EnumerateArray()))
            .Select(x => (x.GetProperty("id").GetString(), x.GetProperty("reason").GetString(), x.GetProperty("detail").GetString()))
            .ToList();
        Assert.Equal(
            [("s/e3", "duplicate-key", "key \"A\" already counted by s/e1"), ("s/e4", "duplicate-key", "key \"A\" already counted by s/e1")],
            excluded);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(table.Stdout, @"excluded: 1 event \(duplicate-key 1\)").Count);
    }

    [Fact]
    public void Events_without_a_contract_are_reported_and_fail_the_run_only_under_strict()
    {
        var events = new[]
        {
            Event("e1", "acme", "2026-01-05T10:00:00Z", "A"),
            Event("early", "acme", "2025-12-20T10:00:00Z", "B"),
            Event("stray", "nobody", "2026-01-06T10:00:00Z", "C"),
        };
        var rules = Tasks + """
            pricing p {
              charge task { unit 1 USD }
            }

            contract c version 1 effective 2026-01-01 {
              customers "acme"
              pricing p
              currency USD
            }
            """;

        var lenient = Simulate(rules, events, "--format", "json");
        var strict = Simulate(rules, events, "--format", "json", "--strict");
        var table = Simulate(rules, events);

        Assert.Equal(0, lenient.ExitCode);
        using var doc = JsonDocument.Parse(lenient.Stdout);
        Assert.Equal(
            [
                ("acme", "s/early", "no-contract", "no contract governs customer 'acme' at 2025-12-20T10:00:00Z; contract 'c' is in force from 2026-01-01T00:00:00Z"),
                ("nobody", "s/stray", "no-contract", "no contract names customer 'nobody' and there is no default contract"),
            ],
            doc.RootElement.GetProperty("unbilled").EnumerateArray().Select(u => (
                u.GetProperty("customer").GetString(), u.GetProperty("event").GetString(),
                u.GetProperty("reason").GetString(), u.GetProperty("detail").GetString())));
        Assert.Equal(1, strict.ExitCode);
        Assert.Equal(lenient.Stdout, strict.Stdout);
        Assert.Contains("--strict: 0 event(s) rejected, 2 unbilled", strict.Stderr);
        Assert.Contains("2 event(s) not billed on any invoice:", table.Stdout);
        Assert.Contains("s/stray (nobody, task.done, 2026-01-06T10:00:00Z): no-contract", table.Stdout);
    }

    [Fact]
    public void A_customer_option_naming_nobody_is_one_readable_error()
    {
        var result = Simulate(Versioned, SplitMonth, "--customer", "acmee");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal(
            "rulesbilling: customer 'acmee' (did you mean 'acme'?) has no events in the input (give --from and --to to bill a customer without usage); customers with events: acme",
            result.Stderr.Trim());
    }

    [Fact]
    public void A_customer_without_events_but_with_a_contract_in_an_explicit_range_still_gets_its_base_fee()
    {
        var result = Simulate(Versioned, SplitMonth, "--customer", "newco", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal("0.00", Assert.Single(doc.RootElement.GetProperty("invoices").EnumerateArray()).GetProperty("total").GetString());
    }
}
