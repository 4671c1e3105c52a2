using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

public sealed class LiteDbRestartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rb-engine-" + Guid.NewGuid().ToString("N"));

    public LiteDbRestartTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Events_survive_a_restart_and_are_rated_finalized_and_kept_exactly_once()
    {
        var path = Path.Combine(_directory, "billing.db");
        var rules = Rules(Resolved with { Hold = Hold7d });
        var clock = new TestClock(At("2026-03-25T00:00:00Z"));
        string[] events =
        [
            ClosedJson("e1", "acme", "2026-03-02T10:00:00Z", "T-1"),
            ClosedJson("e2", "acme", "2026-03-03T10:00:00Z", "T-2"),
            ClosedJson("e3", "acme", "2026-03-04T10:00:00Z", "T-2", source: "agent-b"),
        ];

        using (var store = new LiteDbBillingStore(path))
        {
            Assert.Equal(3, Ingest(store, rules, clock, events).Accepted);
            new UseCases(store, new FixedRuleSet(rules), clock).GrantCredits(T, "acme", 50m, "USD", grantId: "welcome");
        }

        Invoice finalized;
        using (var store = new LiteDbBillingStore(path))
        {
            // A client retrying after the restart gets duplicates, not double counting.
            var retry = Ingest(store, rules, clock, events);
            Assert.Equal((0, 3), (retry.Accepted, retry.Duplicates));
            var (engine, _) = NewEngine(store, rules, "2026-04-02T00:00:00Z");
            finalized = engine.Finalize(T, "acme", At("2026-03-01T00:00:00Z"));
        }

        using (var store = new LiteDbBillingStore(path))
        {
            var (engine, _) = NewEngine(store, rules, "2026-04-03T00:00:00Z");
            Assert.Equal(("INV-000001", 105.00m, 50m, 55.00m), (finalized.Number, finalized.Subtotal, finalized.CreditsApplied, finalized.Total));
            Assert.Equal(InvoiceJson.Serialize(finalized), InvoiceJson.Serialize(store.FindInvoice(T, finalized.Id)!));
            Assert.Equal(InvoiceJson.Serialize(finalized), InvoiceJson.Serialize(engine.Finalize(T, "acme", At("2026-03-01T00:00:00Z"))));
            Assert.Equal(3, store.ReadEvents(T, "acme").Count());
            Assert.Equal([CreditLedgerKinds.Grant, CreditLedgerKinds.Consumption], store.ReadLedger(T, "acme").Select(e => e.Kind));
            Assert.Empty(engine.Corrections(T, "acme"));
            Assert.Equal(2L, store.NextInvoiceNumber(T));
        }
    }
}
