using RulesBilling.Host.Cli;
using RulesBilling.Host.Tests.Cli;

namespace RulesBilling.Host.Tests.Repl;

/// <summary>The REPL after <c>:feed</c> of a sample file: pending outcomes, :eval on the fed events, :invoice of any period.</summary>
public sealed class ReplFeedTests
{
    private static readonly string Rules = Path.Combine(CliProcess.RepoRoot, "pricing-rules", "sales_agent.rules");
    private static readonly string Events = Path.Combine(CliProcess.RepoRoot, "pricing-rules", "samples", "sales_agent.jsonl");

    private static string[] Session(params string[] commands)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Run(["repl"], new StringReader(string.Join('\n', [$":load {Rules}", $":feed {Events}", .. commands])), stdout, stderr);
        Assert.Equal((0, ""), (exit, stderr.ToString()));
        return stdout.ToString().Split('\n');
    }

    [Fact]
    public void A_lead_held_past_the_period_end_is_reported_pending_with_the_day_and_period_it_becomes_billable()
    {
        var output = Session();

        Assert.Contains("accepted //sales/agent-emea/sal-0001: pending: in its validation window (qualified_lead is held 3d for reversal); "
            + "billable on 2026-02-01T00:00:00Z, in the period 2026-02-01 → 2026-03-01 under 'qualified_lead where has(region) and region == \"EU\"'", output);
        Assert.Contains("accepted //sales/agent-global/sal-0031: pending: in its validation window (qualified_lead is held 3d for reversal); "
            + "billable on 2026-03-01T00:00:00Z, in the period 2026-03-01 → 2026-04-01 under 'qualified_lead'", output);
        // Events that really make no outcome still say so.
        Assert.Contains("accepted //sales/crm/sal-0012: no outcome: the event makes no outcome under these rules", output);
        Assert.Contains($"rejected {Events}:33:1: //sales/agent-global/sal-0034: field 'score' must be an integer, got \"high\"", output);
    }

    [Fact]
    public void Eval_after_feed_works_on_the_last_fed_event_and_event_picks_another_by_id()
    {
        var output = Session(":eval deal_id", ":event sal-0001", ":eval upper(lead_id)", ":event nope");

        Assert.Contains("last event: //sales/crm/sal-0050 (sales.deal.closed); :eval works on it, :event <id> picks another", output);
        Assert.Contains("D-CG-1 : string", output);
        Assert.Contains("event set: //sales/agent-emea/sal-0001 (sales.lead.qualified)", output);
        Assert.Contains("L-EU-100 : string", output);
        Assert.Contains("error: no fed event 'nope'; give its id or source/id, or paste the event as JSON", output);
        Assert.DoesNotContain(output, l => l.Contains("no event yet", StringComparison.Ordinal));
    }

    [Fact]
    public void Invoice_takes_a_period_or_a_range_lists_the_periods_with_events_and_refuses_unknown_arguments()
    {
        var output = Session(":invoice northwind-sales 2026-02", ":invoice northwind-sales 2026-01 2026-02", ":invoice northwind-sales 2026-03-15 json", ":invoice northwind-sales febuary");

        var headers = output.Where(l => l.StartsWith("northwind-sales · ", StringComparison.Ordinal)).Select(l => l.Split(" · ")[2]).ToList();
        Assert.Equal(["2026-02-01 → 2026-03-01", "2026-01-01 → 2026-02-01", "2026-02-01 → 2026-03-01"], headers);
        Assert.Contains("  subtotal 6972.91 · credits 0.00 · total 6972.91", output);
        Assert.Contains(output, l => l.Trim() == "\"from\": \"2026-03-01T00:00:00Z\",");
        Assert.Equal(2, output.Count(l => l == "periods with events: 2026-01-01 → 2026-02-01, 2026-02-01 → 2026-03-01, 2026-03-01 → 2026-04-01 (:invoice northwind-sales <YYYY-MM> for one)"));
        Assert.Contains("error: unknown argument 'febuary' for :invoice; expected a period (YYYY-MM, or YYYY-MM-DD for the period containing that day), two days 'from to', or json", output);
    }
}
