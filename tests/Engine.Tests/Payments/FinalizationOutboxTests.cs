using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Billing;
using RulesBilling.Engine.Tests.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Payments;

public sealed class FinalizationOutboxTests
{
    private static readonly DateTimeOffset March = At("2026-03-01T00:00:00Z");

    public static TheoryData<bool> Backends() => new() { false, true };

    [Theory]
    [MemberData(nameof(Backends))]
    public void Finalize_and_void_through_the_engine_write_outbox_rows(bool liteDb)
    {
        using var directory = new TempDirectory();
        var (store, payments) = Open(liteDb, directory);
        using var _ = store;
        Append(store, ClosedEvent("e1", "acme", "2026-03-02T10:00:00Z", "T-1"));
        payments.SaveCustomerSettings(new CustomerPaymentSettings(T, "acme", PaymentProvider.Razorpay));
        var clock = new Billing.TestClock(At("2026-04-02T00:00:00Z"));
        var engine = new UseCases(store, new FixedRuleSet(Rules()), clock, new PaymentOutbox(clock));

        var invoice = engine.Finalize(T, "acme", March);
        engine.Finalize(T, "acme", March);
        engine.Void(T, invoice.Id);

        var rows = payments.ListSync(T);
        Assert.Equal([(invoice.Id, SyncAction.Push, PaymentProvider.Razorpay), (invoice.Id, SyncAction.Void, PaymentProvider.Razorpay)],
            rows.Select(r => (r.InvoiceId, r.Action, r.Provider)).OrderBy(r => r.Action));
        Assert.All(rows, r => Assert.Equal((SyncStatus.Pending, SyncSteps.Customer), (r.Status, r.Step)));
    }

    /// <summary>The outbox row is part of the finalization: if the transaction fails after it, neither exists.</summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public void A_failed_finalization_leaves_no_outbox_row(bool liteDb)
    {
        using var directory = new TempDirectory();
        var (store, payments) = Open(liteDb, directory);
        using var _ = store;
        Append(store, ClosedEvent("e1", "acme", "2026-03-02T10:00:00Z", "T-1"));
        payments.SaveCustomerSettings(new CustomerPaymentSettings(T, "acme", PaymentProvider.Stripe));
        var clock = new Billing.TestClock(At("2026-04-02T00:00:00Z"));
        var engine = new UseCases(store, new FixedRuleSet(Rules()), clock, new FailingAfter(new PaymentOutbox(clock)));

        Assert.Throws<InvalidOperationException>(() => engine.Finalize(T, "acme", March));

        Assert.Empty(payments.ListSync());
        Assert.DoesNotContain(store.ListInvoices(T), i => i.Status == InvoiceStatus.Finalized);
    }

    private static (IBillingStore, IPaymentStore) Open(bool liteDb, TempDirectory directory)
    {
        if (!liteDb)
        {
            var memory = new InMemoryBillingStore();
            return (memory, new InMemoryPaymentStore(memory));
        }
        var file = new LiteDbBillingStore(directory.File("billing.db"));
        return (file, new LiteDbPaymentStore(file));
    }

    private sealed class FailingAfter(IFinalizationListener inner) : IFinalizationListener
    {
        public void Finalized(IStoreSession transaction, Invoice invoice)
        {
            inner.Finalized(transaction, invoice);
            throw new InvalidOperationException("crash after the outbox write");
        }

        public void Voided(IStoreSession transaction, Invoice invoice) => inner.Voided(transaction, invoice);
    }
}
