using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// <see cref="UseCases.CheckThresholds"/>, what the serve worker runs (docs/dsl-spec.md §10.9.3): it issues what
/// the open period owes and says when the amount moves next without an event, here when a 2-day hold ends.
/// </summary>
public sealed class ThresholdCheckTests
{
    private const string Rules = """
        event task.done {
          task_id: string
          units: integer
        }

        event task.undone {
          task: string
        }

        outcome task from task.done {
          key task_id
          quantity units
          hold 2d reversed by task.undone on task
        }

        pricing metered {
          charge task {
            unit 10 USD
          }
        }

        contract plan version 1 effective 2026-01-01 {
          customers "acme"
          pricing metered
          thresholds 100 USD
        }
        """;

    [Fact]
    public void A_check_before_the_hold_ends_issues_nothing_and_names_the_instant_it_ends()
    {
        using var store = new InMemoryBillingStore();
        var rules = Compile(Rules);
        var clock = new TestClock(new DateTimeOffset(2026, 3, 5, 12, 0, 0, TimeSpan.Zero));
        new EventIngestor(store, clock).Ingest("t1", "[" + Task("e1", "acme", "2026-03-05T10:00:00Z", 11) + "]", rules);
        var engine = new UseCases(store, new FixedRuleSet(rules), clock);

        var early = engine.CheckThresholds("t1", "acme");
        Assert.Empty(early.Issued);
        Assert.Equal(new DateTimeOffset(2026, 3, 7, 10, 0, 0, TimeSpan.Zero), early.NextMove);

        clock.Now = early.NextMove!.Value;
        var due = engine.CheckThresholds("t1", "acme");
        var invoice = Assert.Single(due.Issued);
        Assert.Equal((InvoiceKind.Threshold, 110.00m, early.NextMove.Value), (invoice.Kind, invoice.Total, invoice.Threshold!.CrossedAt));
        Assert.Null(due.NextMove);
        Assert.Empty(engine.CheckThresholds("t1", "acme").Issued);
    }

    [Fact]
    public void A_contract_without_thresholds_needs_no_check()
    {
        using var store = new InMemoryBillingStore();
        var rules = Compile(Rules.Replace("  thresholds 100 USD\n", "", StringComparison.Ordinal));
        var clock = new TestClock(new DateTimeOffset(2026, 3, 5, 12, 0, 0, TimeSpan.Zero));
        new EventIngestor(store, clock).Ingest("t1", "[" + Task("e1", "acme", "2026-03-05T10:00:00Z", 11) + "]", rules);

        Assert.Equal(ThresholdCheck.None, new UseCases(store, new FixedRuleSet(rules), clock).CheckThresholds("t1", "acme"));
    }

    [Fact]
    public void A_customer_no_contract_governs_has_no_thresholds_to_check()
    {
        using var store = new InMemoryBillingStore();
        var rules = Compile(Rules);
        var clock = new TestClock(new DateTimeOffset(2026, 3, 5, 12, 0, 0, TimeSpan.Zero));
        new EventIngestor(store, clock).Ingest("t1", "[" + Task("s1", "stranger", "2026-03-05T10:00:00Z", 30) + "]", rules);
        var engine = new UseCases(store, new FixedRuleSet(rules), clock);

        // 30 units would be 300 USD, past the threshold, had a contract governed the customer: nothing, and no error.
        Assert.Equal(ThresholdCheck.None, engine.CheckThresholds("t1", "stranger"));
        Assert.Empty(store.ListInvoices("t1", "stranger"));
        // The explicit call still names the missing contract (an API caller asked for a period that does not exist).
        Assert.Throws<BillingException>(() => engine.IssueThresholdInvoices("t1", "stranger"));
    }
}
