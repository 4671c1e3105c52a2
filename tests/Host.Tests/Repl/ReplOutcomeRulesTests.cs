using RulesBilling.Host.Cli;
using RulesBilling.Host.Tests.Cli;

namespace RulesBilling.Host.Tests.Repl;

/// <summary>The REPL on the lead-generation sample: quoted names and string functions in :eval, disqualified leads.</summary>
public sealed class ReplOutcomeRulesTests
{
    private static readonly string Rules = Path.Combine(CliProcess.RepoRoot, "pricing-rules", "lead_gen_agent.rules");
    private static readonly string Events = Path.Combine(CliProcess.RepoRoot, "pricing-rules", "samples", "lead_gen_agent.jsonl");

    private static string[] Session(params string[] commands)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Run(["repl"], new StringReader(string.Join('\n', [$":load {Rules}", $":feed {Events}", .. commands])), stdout, stderr);
        Assert.Equal((0, ""), (exit, stderr.ToString()));
        return stdout.ToString().Split('\n');
    }

    [Fact]
    public void Feed_reports_every_capture_of_a_hard_bounced_address_as_disqualified_and_a_soft_bounce_as_nothing()
    {
        var output = Session();

        const string ann = "disqualified — key \"ann@acme.io\" disqualified by //mail/postmark/mb-0003 (email.bounced) at 2026-02-10T07:00:00Z";
        Assert.Contains($"accepted //crm/hubspot/lg-0001: not counted: {ann}", output);
        Assert.Contains($"accepted //agent/enricher/lg-0008: not counted: {ann}", output);
        Assert.Contains($"accepted //crm/hubspot/lg-0017: not counted: {ann}", output);
        Assert.Contains("accepted //agent/enricher/lg-0012: not counted: disqualified — key \"kim@hooli.com\" disqualified by //mail/postmark/mb-0001 (email.bounced) at 2026-01-09T07:00:00Z", output);
        Assert.Contains("accepted //crm/hubspot/lg-0007: counted in 'vetted_lead' (Qualified lead)", output);
        Assert.Contains("accepted //mail/postmark/mb-0001: disqualifies key \"kim@hooli.com\": 2 event(s) of this period excluded as disqualified", output);
        Assert.Contains("accepted //mail/postmark/mb-0003: disqualifies key \"ann@acme.io\": 1 event(s) of this period excluded as disqualified", output);
        Assert.Contains("accepted //mail/postmark/mb-0002: no outcome: the event makes no outcome under these rules", output);
        Assert.Contains("accepted //crm/hubspot/lg-0005: not counted: failed-condition — `amount` >= 1000 USD was false (amount: 500.00)", output);
    }

    [Fact]
    public void Eval_reads_a_quoted_keyword_field_and_calls_the_string_functions()
    {
        var output = Session(":event lg-0008", ":eval `amount`", ":eval email_domain(email)", ":eval split(source_tag, \"|\", 1)",
            ":eval substring(lead_id, 0, 2)", ":eval matches(email, \"(?i)^ann@\")", ":eval amount");

        Assert.Contains("5000.00 : money(USD)", output);
        Assert.Contains("acme.io : string", output);
        Assert.Contains("cpc : string", output);
        Assert.Contains("L- : string", output);
        Assert.Contains("true : bool", output);
        Assert.Contains(output, l => l.Contains("error RB0111: 'amount' is a keyword, not a value; to read a field named 'amount', quote it as `amount`", StringComparison.Ordinal));
    }
}
