using System.Text.Json;

namespace RulesBilling.Host.Tests.Cli;

/// <summary>
/// The explanations through the real CLI, byte for byte against files in Golden/ (RB_UPDATE_GOLDEN=1 rewrites them;
/// review the diff): the simulate table, <c>explain</c> for an outcome and a line, <c>simulate --compare</c>.
/// </summary>
public sealed class ExplanationOutputTests : IDisposable
{
    private const string Rules = "pricing-rules/support_agent.rules";
    private const string Events = "pricing-rules/samples/support_agent.jsonl";
    private readonly string _dir = Directory.CreateTempSubdirectory("rb-explain-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(SourceFolder(), "Golden", name);
        if (Environment.GetEnvironmentVariable("RB_UPDATE_GOLDEN") == "1") File.WriteAllText(path, actual);
        Assert.Equal(File.ReadAllText(path), actual);
    }

    [Fact]
    public void The_table_shows_labels_and_arithmetic_that_adds_up_pending_outcomes_and_every_guard()
    {
        var january = CliProcess.Run(CliProcess.RepoRoot, "simulate", "--rules", Rules, "--events", Events, "--customer", "acme-retail",
            "--from", "2026-01-01", "--to", "2026-02-28");

        Assert.Equal(0, january.ExitCode);
        AssertGolden("simulate-acme.txt", january.Stdout);
        Assert.DoesNotContain("resolved_ticket where", january.Stdout);
        Assert.DoesNotContain("pending-validation-window", january.Stdout);
    }

    [Fact]
    public void Json_lines_carry_label_explanation_breakdown_pending_and_the_failed_part_of_the_condition()
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "simulate", "--rules", Rules, "--events", Events, "--customer", "acme-retail", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        var invoices = doc.RootElement.GetProperty("invoices").EnumerateArray().ToList();
        // Totals are those computed by hand in pricing-rules/README.md: explanations changed no amount.
        Assert.Equal(["113.70", "99.00"], invoices.Select(i => i.GetProperty("total").GetString()));
        var line = invoices[0].GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("rule").GetString() == "resolved_ticket");
        Assert.Equal("Resolved ticket, normal or low priority", line.GetProperty("description").GetString());
        Assert.Equal("A ticket the agent closed, rated 4+ (or not rated) and not escalated; billed after a 7-day reopen window.",
            line.GetProperty("explanation").GetString());
        Assert.Equal(["10 of 16 units free (10 included)", "6 × 1.20 USD = 7.20 USD"],
            line.GetProperty("breakdown").EnumerateArray().Select(s => s.GetProperty("text").GetString()));
        Assert.Equal(
            [
                "csat ?? 5 >= 4 was false (csat: 2)",
                "status == \"closed\" was false (status: \"pending\")",
                "escalated == false was false (escalated: true)",
            ],
            // An outcome's exclusions are on its first charge line (the priority one).
            invoices[0].GetProperty("lines").EnumerateArray().SelectMany(l => l.GetProperty("excluded").EnumerateArray())
                .Where(x => x.GetProperty("reason").GetString() == "failed-condition")
                .Select(x => x.GetProperty("detail").GetString()));
        var february = invoices[1].GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("kind").GetString() == "charge").ToList();
        var pending = Assert.Single(february.SelectMany(l => l.GetProperty("pending").EnumerateArray()));
        Assert.StartsWith("2026-03-04T", pending.GetProperty("billableAt").GetString());
        Assert.DoesNotContain(february.SelectMany(l => l.GetProperty("excluded").EnumerateArray()), x => x.GetProperty("reason").GetString() == "pending-validation-window");
        var guard = Assert.Single(invoices[1].GetProperty("guards").EnumerateArray());
        Assert.Equal(("Ticket margin below 40%", false), (guard.GetProperty("label").GetString(), guard.GetProperty("triggered").GetBoolean()));
    }

    [Fact]
    public void Explain_an_outcome_shows_its_events_and_the_line_that_bills_it()
    {
        var text = CliProcess.Run(CliProcess.RepoRoot, "explain", "--rules", Rules, "--events", Events, "--customer", "acme-retail",
            "--outcome", "resolved_ticket", "--key", "T-1001", "--at", "2026-12-01T00:00:00Z");
        Assert.Equal(0, text.ExitCode);
        AssertGolden("explain-outcome.txt", text.Stdout);

        var json = CliProcess.Run(CliProcess.RepoRoot, "explain", "--rules", Rules, "--events", Events, "--customer", "acme-retail",
            "--outcome", "resolved_ticket", "--key", "T-1001", "--at", "2026-12-01T00:00:00Z", "--format", "json");
        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Stdout);
        // The API drill-down's shape (GET /v1/customers/{c}/outcomes/{o}/{key}), plus the billing line per instance.
        Assert.Equal(["customer", "outcome", "key", "instances", "lines"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        var instance = Assert.Single(doc.RootElement.GetProperty("instances").EnumerateArray());
        Assert.Equal("billable", instance.GetProperty("outcome").GetProperty("state").GetString());
        Assert.Equal("counted", Assert.Single(instance.GetProperty("events").EnumerateArray()).GetProperty("role").GetString());
        Assert.StartsWith("line_", Assert.Single(doc.RootElement.GetProperty("lines").EnumerateArray()).GetString());
    }

    [Fact]
    public void Explain_a_line_lists_every_event_it_counted_and_works_on_a_litedb_file()
    {
        var db = Path.Combine(_dir, "billing.db");
        var simulated = CliProcess.Run(CliProcess.RepoRoot, "simulate", "--rules", Rules, "--events", Events, "--customer", "acme-retail",
            "--format", "json", "--db", db);
        using var doc = JsonDocument.Parse(simulated.Stdout);
        var lineId = doc.RootElement.GetProperty("invoices")[0].GetProperty("lines").EnumerateArray()
            .Single(l => l.GetProperty("rule").GetString() == "resolved_ticket").GetProperty("id").GetString()!;

        // Only the stored events of the LiteDB file: no --events.
        var result = CliProcess.Run(CliProcess.RepoRoot, "explain", "--rules", Rules, "--db", db, "--customer", "acme-retail", "--line", lineId);

        Assert.Equal(0, result.ExitCode);
        AssertGolden("explain-line.txt", result.Stdout);
    }

    [Fact]
    public void Explain_refuses_unclear_requests_with_one_line()
    {
        var neither = CliProcess.Run(CliProcess.RepoRoot, "explain", "--rules", Rules, "--events", Events, "--customer", "acme-retail");
        Assert.Equal((2, "rulesbilling: explain needs either --outcome and --key, or --line\n"), (neither.ExitCode, neither.Stderr));
        var typo = CliProcess.Run(CliProcess.RepoRoot, "explain", "--rules", Rules, "--events", Events, "--customer", "acme-retail",
            "--outcome", "resolved_tickets", "--key", "T-1001");
        Assert.Equal((1, "rulesbilling: outcome 'resolved_tickets' is not in the rule set (did you mean 'resolved_ticket'?); outcomes: resolved_ticket\n"),
            (typo.ExitCode, typo.Stderr));
        var missing = CliProcess.Run(CliProcess.RepoRoot, "explain", "--rules", Rules, "--events", Events, "--customer", "acme-retail", "--line", "line_nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("rulesbilling: customer 'acme-retail' has no invoice line 'line_nope'", missing.Stderr);
    }

    [Fact]
    public void Compare_is_a_plan_per_customer_period_and_line_and_exits_3_on_changes_0_without()
    {
        var cheaper = Path.Combine(_dir, "cheaper.rules");
        var rules = File.ReadAllText(Path.Combine(CliProcess.RepoRoot, Rules));
        File.WriteAllText(cheaper, rules.Replace("base 99 USD", "base 79 USD").Replace("unit 1.20 USD", "unit 1.50 USD"));

        var plan = CliProcess.Run(CliProcess.RepoRoot, "simulate", "--rules", Rules, "--events", Events, "--compare", cheaper);
        Assert.Equal(3, plan.ExitCode);
        AssertGolden("compare.txt", plan.Stdout);

        var json = CliProcess.Run(CliProcess.RepoRoot, "simulate", "--rules", Rules, "--events", Events, "--compare", cheaper, "--format", "json");
        Assert.Equal(3, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.True(doc.RootElement.GetProperty("changed").GetBoolean());
        var totals = Assert.Single(doc.RootElement.GetProperty("summary").GetProperty("totals").EnumerateArray());
        Assert.Equal(("517.20", "419.00", "-98.20"),
            (totals.GetProperty("before").GetString(), totals.GetProperty("after").GetString(), totals.GetProperty("difference").GetString()));
        // Per invoice, the line differences add up to the invoice difference.
        foreach (var invoice in doc.RootElement.GetProperty("invoices").EnumerateArray())
            Assert.Equal(decimal.Parse(invoice.GetProperty("difference").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                invoice.GetProperty("lines").EnumerateArray().Sum(l => decimal.Parse(l.GetProperty("difference").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));

        var same = CliProcess.Run(CliProcess.RepoRoot, "simulate", "--rules", Rules, "--events", Events, "--compare", Rules);
        Assert.Equal((0, "No changes: 5 invoice(s) identical under both rule sets. Total USD: 517.20 → 517.20 (0.00).\n"), (same.ExitCode, same.Stdout));
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
