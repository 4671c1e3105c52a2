using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// Threshold (progressive) billing, docs/dsl-spec.md §10.9. Worked figures: base 50 USD, 10 USD per unit, thresholds
/// 100 and 250 USD then every 500 USD. March 2026: 4 units on the 2nd (40), 7 on the 5th (110: threshold 100 reached,
/// an invoice of 110.00), 20 on the 9th (310: threshold 250 reached, an invoice of 310 − 110 = 200.00), 10 on the 20th
/// (410, below 750). The period's invoice: base 50 + usage 410 − 310 billed by thresholds = 150.00; 110 + 200 + 150 = 460.
/// </summary>
public sealed class ThresholdBillingTests
{
    private const string Tenant = "t1";

    public static string Rules(string thresholds = "thresholds 100 USD, 250 USD then every 500 USD", string model = "unit 10 USD") => Tasks + $$"""
        pricing metered {
          base 50 USD
          charge task {
            {{model}}
          }
        }

        contract plan version 1 effective 2026-01-01 {
          customers "acme"
          pricing metered
          {{thresholds}}
        }
        """;

    private static readonly string[] March =
    [
        Task("e1", "acme", "2026-03-02T10:00:00Z", 4),
        Task("e2", "acme", "2026-03-05T10:00:00Z", 7),
        Task("e3", "acme", "2026-03-09T10:00:00Z", 20),
        Task("e4", "acme", "2026-03-20T10:00:00Z", 10),
    ];

    private static readonly DateTimeOffset MarchFirst = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static (UseCases Engine, TestClock Clock) Engine(IBillingStore store, CompiledRuleSet rules, string now)
    {
        var clock = new TestClock(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        new EventIngestor(store, clock).Ingest(Tenant, "[" + string.Join(",", March) + "]", rules);
        return (new UseCases(store, new FixedRuleSet(rules), clock), clock);
    }

    [Fact]
    public void The_dry_run_shows_each_threshold_invoice_and_the_period_invoice_netting_them()
    {
        var invoices = Bill(Compile(Rules()), March);

        Assert.Equal([InvoiceKind.Threshold, InvoiceKind.Threshold, InvoiceKind.Invoice], invoices.Select(i => i.Kind));
        Assert.Equal([110.00m, 200.00m, 150.00m], invoices.Select(i => i.Total));
        Assert.Equal(460.00m, invoices.Sum(i => i.Total));
        var (first, second, period) = (invoices[0], invoices[1], invoices[2]);
        Assert.Equal((0, "100", DateTimeOffset.Parse("2026-03-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), 110m),
            (first.Threshold!.Index, string.Join(",", first.Threshold.Amounts), first.Threshold.CrossedAt, first.Threshold.UsageAmount));
        Assert.Equal((1, "250", 310m), (second.Threshold!.Index, string.Join(",", second.Threshold.Amounts), second.Threshold.UsageAmount));

        // The first bills the usage line as it stood; the second only what came since, explained as such.
        var line1 = Assert.Single(first.Lines);
        Assert.Equal((LineKind.Charge, 11m, 110.00m), (line1.Kind, line1.Quantity, line1.Amount));
        Assert.Equal("usage to 2026-03-05T10:00:00Z, when it reached 100.00 USD", line1.Note);
        var line2 = Assert.Single(second.Lines);
        Assert.Equal((line1.Id, 20m, 200.00m), (line2.Id, line2.Quantity, line2.Amount));
        Assert.Equal(["agent/e3"], line2.Events);
        Assert.Equal(-110.00m, line2.Breakdown[^1].Amount);
        Assert.Equal(line2.Amount, line2.Breakdown.Sum(s => s.Amount));

        // The period's invoice keeps its own lines and ends with the netting line, pointing at both threshold invoices.
        Assert.Equal([LineKind.Base, LineKind.Charge, LineKind.ThresholdCredit], period.Lines.Select(l => l.Kind));
        Assert.Equal([50.00m, 410.00m, -310.00m], period.Lines.Select(l => l.Amount));
        var credit = period.Lines[^1];
        Assert.Equal($"nets {first.Id} (110.00 USD), {second.Id} (200.00 USD)", credit.Note);
        Assert.Equal([-110.00m, -200.00m], credit.Breakdown.Select(s => s.Amount));
        Assert.Equal(period.Subtotal, period.Lines.Sum(l => l.Amount));
    }

    [Fact]
    public void One_event_passing_several_thresholds_issues_one_invoice_naming_all_of_them()
    {
        var invoices = Bill(Compile(Rules("thresholds every 100 USD")), Task("e1", "acme", "2026-03-02T10:00:00Z", 35));

        var threshold = invoices[0];
        Assert.Equal((2, "100,200,300", 350m), (threshold.Threshold!.Index, string.Join(",", threshold.Threshold.Amounts), threshold.Total));
        Assert.Equal(50.00m, invoices[1].Total);
    }

    [Fact]
    public void Checks_issue_each_crossed_threshold_once_and_finalize_nets_them()
    {
        using var store = new InMemoryBillingStore();
        var (engine, clock) = Engine(store, Compile(Rules()), "2026-03-06T00:00:00Z");

        var first = Assert.Single(engine.IssueThresholdInvoices(Tenant, "acme"));
        Assert.Equal(("INV-000001", InvoiceKind.Threshold, InvoiceStatus.Finalized, 110.00m), (first.Number, first.Kind, first.Status, first.Total));
        Assert.Empty(engine.IssueThresholdInvoices(Tenant, "acme"));

        clock.Now = DateTimeOffset.Parse("2026-03-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var second = Assert.Single(engine.IssueThresholdInvoices(Tenant, "acme"));
        Assert.Equal(("INV-000002", 200.00m), (second.Number, second.Total));

        // The preview of the open period already nets what the thresholds billed.
        var preview = Assert.Single(engine.Preview(Tenant, "acme").Invoices);
        Assert.Equal(150.00m, preview.Total);

        clock.Now = DateTimeOffset.Parse("2026-04-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var period = engine.Finalize(Tenant, "acme", MarchFirst);
        Assert.Equal(("INV-000003", 150.00m), (period.Number, period.Total));
        Assert.Equal($"nets INV-000001 (110.00 USD), INV-000002 (200.00 USD)", period.Lines[^1].Note);
        Assert.Empty(engine.IssueThresholdInvoices(Tenant, "acme", MarchFirst));
        Assert.Equal(460.00m, store.ListInvoices(Tenant, "acme").Sum(i => i.Total));
        Assert.Empty(engine.Corrections(Tenant, "acme"));
    }

    [Fact]
    public void The_documents_do_not_depend_on_when_the_checks_ran()
    {
        using var checkedStore = new InMemoryBillingStore();
        var (checkedEngine, clock) = Engine(checkedStore, Compile(Rules()), "2026-03-06T00:00:00Z");
        checkedEngine.IssueThresholdInvoices(Tenant, "acme");
        clock.Now = DateTimeOffset.Parse("2026-04-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        checkedEngine.Finalize(Tenant, "acme", MarchFirst);

        // Never checked: finalizing issues the threshold invoices the period owes first.
        using var quietStore = new InMemoryBillingStore();
        var (quietEngine, _) = Engine(quietStore, Compile(Rules()), "2026-04-02T00:00:00Z");
        quietEngine.Finalize(Tenant, "acme", MarchFirst);

        static IEnumerable<string> Documents(IBillingStore store) => store.ListInvoices(Tenant, "acme")
            .OrderBy(i => i.Number, StringComparer.Ordinal).Select(i => InvoiceJson.Serialize(i));
        Assert.Equal(Documents(checkedStore), Documents(quietStore));
        Assert.Equal(3, Documents(quietStore).Count());
    }

    [Fact]
    public void Concurrent_checks_bill_a_threshold_once()
    {
        using var store = new InMemoryBillingStore();
        var rules = Compile(Rules());
        var (_, clock) = Engine(store, rules, "2026-03-25T00:00:00Z");

        var issued = Enumerable.Range(0, 6).AsParallel()
            .SelectMany(_ => new UseCases(store, new FixedRuleSet(rules), clock).IssueThresholdInvoices(Tenant, "acme"))
            .ToList();

        var stored = store.ListInvoices(Tenant, "acme").Where(i => i.Kind == InvoiceKind.Threshold).ToList();
        Assert.Equal([0, 1], stored.Select(i => i.Threshold!.Index).Order());
        Assert.Equal(310.00m, stored.Sum(i => i.Total));
        Assert.True(issued.Count <= 2);
    }

    [Fact]
    public void A_period_whose_thresholds_billed_more_than_it_owes_is_RB0910_until_a_threshold_invoice_is_voided()
    {
        // Volume tiers: 10 units bill 100.00 (threshold reached); 15 units bill 15 × 1 = 15.00, less than was billed.
        var rules = Compile(Rules("thresholds 100 USD", "volume {\n      up to 10 at 10 USD\n      rest at 1 USD\n    }"));
        using var store = new InMemoryBillingStore();
        var clock = new TestClock(DateTimeOffset.Parse("2026-03-04T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        new EventIngestor(store, clock).Ingest(Tenant, "[" + Task("v1", "acme", "2026-03-02T10:00:00Z", 10) + "]", rules);
        var engine = new UseCases(store, new FixedRuleSet(rules), clock);
        var threshold = Assert.Single(engine.IssueThresholdInvoices(Tenant, "acme"));
        Assert.Equal(100.00m, threshold.Total);
        new EventIngestor(store, clock).Ingest(Tenant, "[" + Task("v2", "acme", "2026-03-03T10:00:00Z", 5) + "]", rules);

        clock.Now = DateTimeOffset.Parse("2026-04-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var refused = Assert.Throws<BillingException>(() => engine.Finalize(Tenant, "acme", MarchFirst));
        var error = Assert.Single(refused.Errors);
        Assert.Equal("RB0910", error.Code);
        Assert.Equal($"threshold invoices INV-000001 (100.00 USD) billed 100.00 USD, more than the period's 65.00 USD; "
            + "the invoice would be negative: void a threshold invoice (its usage then goes on this invoice)", error.Message);

        engine.Void(Tenant, threshold.Id, "usage fell below the threshold");
        var period = engine.Finalize(Tenant, "acme", MarchFirst);
        Assert.Equal(65.00m, period.Total);
        Assert.DoesNotContain(period.Lines, l => l.Kind == LineKind.ThresholdCredit);
        // A voided threshold stays billed once: it is not issued again.
        Assert.Empty(engine.IssueThresholdInvoices(Tenant, "acme", MarchFirst));
    }

    [Fact]
    public void A_contract_without_thresholds_issues_none_and_its_invoice_has_no_netting_line()
    {
        var invoices = Bill(Compile(Rules("")), March);

        var invoice = Assert.Single(invoices);
        Assert.Equal(460.00m, invoice.Total);
        Assert.DoesNotContain("threshold", InvoiceJson.Serialize(invoice), StringComparison.Ordinal);
    }

    [Fact]
    public void A_threshold_invoice_survives_the_LiteDB_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rb-thr-{Guid.NewGuid():N}.db");
        try
        {
            string json;
            using (var store = new LiteDbBillingStore(path))
            {
                var (engine, _) = Engine(store, Compile(Rules()), "2026-03-25T00:00:00Z");
                json = string.Join("\n", engine.IssueThresholdInvoices(Tenant, "acme").Select(i => InvoiceJson.Serialize(i)));
            }
            using var reopened = new LiteDbBillingStore(path);
            var stored = reopened.ListInvoices(Tenant, "acme").OrderBy(i => i.Number, StringComparer.Ordinal).ToList();
            Assert.Equal(json, string.Join("\n", stored.Select(i => InvoiceJson.Serialize(i))));
            Assert.Equal([100m], stored[0].Threshold!.Amounts);
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileNameWithoutExtension(path) + "*")) File.Delete(file);
        }
    }
}
