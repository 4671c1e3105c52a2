using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Ingestion;
using RulesBilling.Engine.Tests.Storage;
using Xunit;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Activity;

public sealed class KnownCustomersTests
{
    private const string Closed = """{"specversion":"1.0","id":"e1","source":"s","type":"ticket.closed","subject":"acme","time":"2026-03-01T10:00:00Z","data":{"ticket_id":"T-1","status":"closed"}}""";

    [Fact]
    public void A_customer_is_known_once_an_ingested_event_names_it_and_only_in_its_tenant()
    {
        using var directory = new TempDirectory();
        using var store = new LiteDbBillingStore(directory.File("billing.db"));
        Assert.False(KnownCustomers.HasEvents(store, "t1", "acme"));

        Assert.True(new EventIngestor(store, new TestClock(At("2026-03-02T00:00:00Z"))).Ingest("t1", Closed, Set()).Succeeded);

        Assert.True(KnownCustomers.HasEvents(store, "t1", "acme"));
        Assert.False(KnownCustomers.HasEvents(store, "t1", "beta"));
        Assert.False(KnownCustomers.HasEvents(store, "t2", "acme"));
    }

    [Fact]
    public void Events_stored_without_the_ingestor_still_make_their_customer_known()
    {
        using var store = new InMemoryBillingStore();
        // A direct append (an import) writes no outcome-state change row: the answer comes from the events.
        store.AppendEvents([ClosedEvent("e1", "gamma", "2026-03-01T10:00:00Z", "T-1")]);

        Assert.True(KnownCustomers.HasEvents(store, "t1", "gamma"));
        Assert.False(KnownCustomers.HasEvents(store, "t1", "acme"));
    }
}
