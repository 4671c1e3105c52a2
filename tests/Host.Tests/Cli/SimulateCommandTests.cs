using System.Text.Json;

namespace RulesBilling.Host.Tests.Cli;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rb-sim-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The invoices computed by hand in pricing-rules/README.md, reproduced through the real CLI.
    [Theory]
    [InlineData("support_agent", "acme-retail", "2026-01-01", "113.70", "USD", "draft")]
    [InlineData("sales_agent", "northwind-sales", "2026-02-01", "6972.91", "USD", "draft")]
    [InlineData("content_agent", "lumen-media-de", "2026-01-01", "105.40", "EUR", "draft")]
    [InlineData("hybrid_platform", "kaito-robotics", "2026-01-01", "450000", "JPY", "draft")]
    [InlineData("hybrid_platform", "kaito-robotics", "2026-02-01", "437142", "JPY", "draft")]
    [InlineData("hybrid_platform", "al-noor-logistics", "2026-01-15", "990.000", "KWD", "draft")]
    [InlineData("multi_agent_workflow", "initech-ops", "2026-03-01", "120.00", "USD", "held")]
    [InlineData("agent_workspace", "vertex-labs", "2026-01-01", "546.65", "USD", "draft")]
    // Disqualified leads: January loses a lead to a February bounce.
    [InlineData("lead_gen_agent", "brightfunnel", "2026-01-01", "264.00", "USD", "draft")]
    [InlineData("lead_gen_agent", "brightfunnel", "2026-02-01", "154.00", "USD", "draft")]
    // After its two threshold invoices (108.00 and 148.00), the period's invoice nets them: 200 + 320 − 256.
    [InlineData("research_agent", "orbital-analytics", "2026-01-01", "264.00", "USD", "draft")]
    // Tokyo periods start at 15:00 UTC the day before.
    [InlineData("translation_agent", "sakura-docs", "2026-01-31T15:00:00Z", "114857", "JPY", "draft")]
    // Coupons and taxes (docs/dsl-spec.md §9.14, §9.15): VAT added per line, GST included per line.
    [InlineData("code_review_agent", "brightforge-uk", "2026-01-01", "187.20", "GBP", "draft")]
    [InlineData("code_review_agent", "brightforge-uk", "2026-02-01", "84.00", "GBP", "draft")]
    [InlineData("code_review_agent", "brightforge-uk", "2026-03-01", "201.60", "GBP", "draft")]
    [InlineData("code_review_agent", "kookaburra-dev", "2026-01-01", "195.00", "AUD", "draft")]
    [InlineData("code_review_agent", "wattle-labs", "2026-02-01", "85.00", "AUD", "draft")]
    [InlineData("code_review_agent", "wattle-labs", "2026-03-01", "198.00", "AUD", "draft")]
    public void Sample_invoices_match_the_hand_computed_totals(string sample, string customer, string periodFrom, string total, string currency, string status)
    {
        var result = Simulate("--events", $"pricing-rules/samples/{sample}.jsonl", "--customer", customer, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        var invoice = doc.RootElement.GetProperty("invoices").EnumerateArray()
            .Single(i => i.GetProperty("period").GetProperty("from").GetString()!.StartsWith(periodFrom, StringComparison.Ordinal)
                && i.GetProperty("currency").GetString() == currency && i.GetProperty("kind").GetString() == "invoice");
        Assert.Equal(total, invoice.GetProperty("total").GetString());
        Assert.Equal(status, invoice.GetProperty("status").GetString());
        var lines = invoice.GetProperty("lines").EnumerateArray().Select(l => decimal.Parse(l.GetProperty("amount").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(decimal.Parse(invoice.GetProperty("subtotal").GetString()!, System.Globalization.CultureInfo.InvariantCulture), lines.Sum());
    }

    [Fact]
    public void Json_output_is_one_document_that_explains_each_line_and_lists_rejections()
    {
        var result = Simulate("--events", "pricing-rules/samples/support_agent.jsonl", "--customer", "acme-retail",
            "--from", "2026-01-01", "--to", "2026-01-31", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        var root = doc.RootElement;
        Assert.Equal(["invoices", "guards", "rejected", "errors", "unbilled"], root.EnumerateObject().Select(p => p.Name));
        var invoice = Assert.Single(root.GetProperty("invoices").EnumerateArray());
        var charge = invoice.GetProperty("lines").EnumerateArray().First(l => l.GetProperty("kind").GetString() == "charge");
        Assert.NotEmpty(charge.GetProperty("events").EnumerateArray());
        Assert.Matches("^[0-9a-f]{64}$", charge.GetProperty("ruleFileHash").GetString()!);
        var reasons = invoice.GetProperty("lines").EnumerateArray()
            .SelectMany(l => l.GetProperty("excluded").EnumerateArray())
            .Select(x => x.GetProperty("reason").GetString()).ToHashSet();
        Assert.Contains("duplicate-key", reasons);
        Assert.Contains("reversed-within-window", reasons);
        Assert.Contains(root.GetProperty("guards").EnumerateArray(), g => g.GetProperty("triggered").GetBoolean());
        var rejected = Assert.Single(root.GetProperty("rejected").EnumerateArray());
        Assert.Contains("csat", rejected.GetProperty("reason").GetString());
    }

    [Fact]
    public void The_same_inputs_print_the_same_bytes()
    {
        var first = Simulate("--events", "pricing-rules/samples/hybrid_platform.jsonl", "--format", "json");
        var second = Simulate("--events", "pricing-rules/samples/hybrid_platform.jsonl", "--format", "json");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public void A_missing_events_file_is_one_readable_line()
    {
        var result = Simulate("--events", "nope.jsonl");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("rulesbilling: events file 'nope.jsonl' does not exist\n", result.Stderr);
    }

    [Fact]
    public void A_bad_date_is_a_usage_error()
    {
        var result = Simulate("--events", "pricing-rules/samples/support_agent.jsonl", "--from", "01/02/2026");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("rulesbilling: --from must be a date as YYYY-MM-DD, got '01/02/2026'\n", result.Stderr);
    }

    [Fact]
    public void A_rating_error_fails_the_run_and_names_the_rule_and_event()
    {
        File.WriteAllText(Path.Combine(_dir, "ratio.rules"), """
            event job.done {
              job_id: string
              units: decimal
              batches: decimal
            }

            outcome job from job.done {
              key job_id
              quantity units / batches
            }

            pricing per_job {
              charge job { unit 1 USD }
            }

            contract jobs version 1 effective 2026-01-01 {
              customers default
              pricing per_job
            }
            """);
        File.WriteAllText(Path.Combine(_dir, "events.jsonl"),
            """{"specversion":"1.0","id":"1","source":"s","type":"job.done","subject":"c1","time":"2026-01-05T00:00:00Z","data":{"job_id":"j1","units":10,"batches":0}}""" + "\n");

        var result = CliProcess.Run(_dir, "simulate", "--rules", "ratio.rules", "--events", "events.jsonl");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ratio.rules:9:12: error RB0901", result.Stderr);
        Assert.Contains("event s/1", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void A_taxed_discounted_invoice_explains_its_coupon_and_carries_tax_per_line_and_in_totals()
    {
        var result = Simulate("--events", "pricing-rules/samples/code_review_agent.jsonl", "--customer", "brightforge-uk",
            "--from", "2026-02-01", "--to", "2026-02-28", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        var invoice = Assert.Single(doc.RootElement.GetProperty("invoices").EnumerateArray());
        var lines = invoice.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(["base", "charge", "minimum", "coupon", "coupon", "tax"], lines.Select(l => l.GetProperty("kind").GetString()));
        var welcome = lines[4];
        Assert.Equal(("welcome", "Welcome credit", "-50.00", "coupon, once"),
            (welcome.GetProperty("rule").GetString(), welcome.GetProperty("description").GetString(), welcome.GetProperty("amount").GetString(), welcome.GetProperty("note").GetString()));
        Assert.Equal("code_review_uk", welcome.GetProperty("contract").GetString());
        Assert.Equal(["20.00", "6.40", "3.60", "-6.00", "-10.00"],
            lines.Take(5).Select(l => Assert.Single(l.GetProperty("taxes").EnumerateArray()).GetProperty("amount").GetString()));
        Assert.False(lines[5].TryGetProperty("taxes", out _));
        var tax = Assert.Single(invoice.GetProperty("taxes").EnumerateArray());
        Assert.Equal(("gb_vat", "20%", "exclusive", "GB", "70.00", "14.00"),
            (tax.GetProperty("tax").GetString(), tax.GetProperty("rate").GetString(), tax.GetProperty("mode").GetString(),
                tax.GetProperty("jurisdiction").GetString(), tax.GetProperty("taxable").GetString(), tax.GetProperty("amount").GetString()));
        Assert.Equal(("84.00", "84.00"), (invoice.GetProperty("subtotal").GetString(), invoice.GetProperty("total").GetString()));
    }

    [Fact]
    public void An_inclusive_tax_is_stated_under_the_table()
    {
        var result = Simulate("--events", "pricing-rules/samples/code_review_agent.jsonl", "--customer", "kookaburra-dev",
            "--from", "2026-01-01", "--to", "2026-01-31");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"GST 10% included \(on 177\.27 net\)\s*│[^│]*│[^│]*│[^│]*│\s*17\.73", result.Stdout);
    }

    private static CliProcess.Result Simulate(params string[] args) =>
        CliProcess.Run(CliProcess.RepoRoot, ["simulate", "--rules", "pricing-rules", .. args]);
}
