using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

public class IngestionOrderProperties
{
    /// <summary>Events from two agents, with repeated ticket keys, one held outcome reversal and a next-month event.</summary>
    private static readonly string[] Batch =
    [
        ClosedJson("e1", "acme", "2026-03-02T10:00:00Z", "T-1"),
        ClosedJson("e2", "acme", "2026-03-02T10:00:00Z", "T-1", source: "agent-b"),
        ClosedJson("e3", "acme", "2026-03-05T10:00:00Z", "T-2", source: "agent-b"),
        ClosedJson("e4", "acme", "2026-03-09T10:00:00Z", "T-3"),
        ClosedJson("e5", "acme", "2026-03-10T10:00:00Z", "T-3", source: "agent-c"),
        ClosedJson("e6", "acme", "2026-03-20T10:00:00Z", "T-4"),
        """{"specversion":"1.0","id":"r1","source":"agent-a","type":"ticket.reopened","subject":"acme","time":"2026-03-06T00:00:00Z","data":{"ticket_id":"T-2"}}""",
        ClosedJson("e7", "acme", "2026-04-02T10:00:00Z", "T-5"),
    ];

    private static string FinalizedMarchJson(IEnumerable<IEnumerable<string>> deliveries)
    {
        var rules = Rules(Resolved with { Hold = Hold7d });
        using var store = new InMemoryBillingStore();
        var clock = new TestClock(At("2026-04-20T00:00:00Z"));
        foreach (var delivery in deliveries) Assert.True(Ingest(store, rules, clock, delivery).Succeeded);
        var (engine, _) = NewEngine(store, rules, "2026-04-20T00:00:00Z");
        return InvoiceJson.Serialize(engine.Finalize(T, "acme", At("2026-03-01T00:00:00Z")));
    }

    private static readonly Lazy<string> Reference = new(() => FinalizedMarchJson([Batch]));

    [Property(MaxTest = 60)]
    public Property Ingesting_the_batch_twice_in_any_order_and_split_gives_the_same_invoice_json() =>
        Prop.ForAll(
            Gen.Shuffle(Batch.Concat(Batch).ToArray()).Zip(Gen.Choose(1, 16)).ToArbitrary(),
            input =>
            {
                var (events, size) = input;
                var deliveries = events.Chunk(size).Select(c => (IEnumerable<string>)c).ToList();
                return FinalizedMarchJson(deliveries) == Reference.Value;
            });

    [Fact]
    public void The_reference_invoice_counts_each_key_once_and_drops_the_reversed_outcome()
    {
        var json = Reference.Value;
        Assert.Contains("\"agent-a/e1\"", json);
        Assert.Contains("reversed-within-window", json);
        Assert.Contains("duplicate-key", json);
        Assert.DoesNotContain("agent-a/e7", json);
        // T-1, T-3 and T-4 at 2.50 USD on top of the 100 USD base; T-2 was reopened inside its hold window.
        Assert.Contains("\"total\":\"107.50\"", json.Replace(" ", ""));
    }
}
