using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Postgres;
using RulesBilling.Engine.Tests.Storage;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>Threshold invoices on PostgreSQL (docs/dsl-spec.md §10.9): two nodes checking at once bill each threshold once.</summary>
public sealed class ThresholdBillingPostgresTests : IDisposable
{
    private readonly PostgresTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async System.Threading.Tasks.Task Two_nodes_checking_at_once_issue_each_threshold_invoice_once_and_the_period_invoice_nets_them()
    {
        var rules = Compile(ThresholdBillingTests.Rules());
        var clock = new TestClock(new DateTimeOffset(2026, 3, 25, 0, 0, 0, TimeSpan.Zero));
        using var nodeA = PostgresBillingStore.Open(_database.ConnectionString);
        using var nodeB = PostgresBillingStore.Open(_database.ConnectionString);
        new EventIngestor(nodeA, clock).Ingest("t1", "[" + string.Join(",",
            Task("e1", "acme", "2026-03-02T10:00:00Z", 4), Task("e2", "acme", "2026-03-05T10:00:00Z", 7),
            Task("e3", "acme", "2026-03-09T10:00:00Z", 20), Task("e4", "acme", "2026-03-20T10:00:00Z", 10)) + "]", rules);

        var checks = Enumerable.Range(0, 6).Select(n => System.Threading.Tasks.Task.Run(() =>
            new UseCases(n % 2 == 0 ? nodeA : nodeB, new FixedRuleSet(rules), clock).IssueThresholdInvoices("t1", "acme"))).ToArray();
        await System.Threading.Tasks.Task.WhenAll(checks);

        var stored = nodeB.ListInvoices("t1", "acme").OrderBy(i => i.Number, StringComparer.Ordinal).ToList();
        Assert.Equal([("INV-000001", 0, 110.00m), ("INV-000002", 1, 200.00m)], stored.Select(i => (i.Number!, i.Threshold!.Index, i.Total)));
        Assert.Equal(stored.Select(i => InvoiceJson.Serialize(i)), checks.SelectMany(c => c.Result).OrderBy(i => i.Number, StringComparer.Ordinal).Select(i => InvoiceJson.Serialize(i)));

        clock.Now = new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero);
        var period = new UseCases(nodeB, new FixedRuleSet(rules), clock).Finalize("t1", "acme", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(("INV-000003", 150.00m, -310.00m), (period.Number, period.Total, period.Lines[^1].Amount));
        Assert.Equal(460.00m, nodeA.ListInvoices("t1", "acme").Sum(i => i.Total));
    }
}
