using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>What every backend's unit of work must do across aggregates: a transaction commits all of them or none, sees its own writes, hides them from other threads until it commits; tenants are isolated; everything survives a reopen.</summary>
public abstract class StoreSessionContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [Fact]
    public void A_transaction_that_throws_leaves_nothing_written()
    {
        Store.AppendEvents([Event("kept")]);
        Assert.Equal(1, Store.NextInvoiceNumber("t1"));

        var error = Assert.Throws<InvalidOperationException>(() => Store.InTransaction<int>(s =>
        {
            s.AppendEvents([Event("lost"), Event("kept")]);
            s.SaveInvoice(Invoice("inv-lost"));
            s.NextInvoiceNumber("t1");
            s.SaveGrant(Grant("g-lost"));
            s.AppendLedger(Ledger("l-lost"));
            s.AddRejected(Rejected("r-lost"));
            s.RemoveRejected("t1", "none");
            throw new InvalidOperationException("payment provider refused");
        }));

        Assert.Equal("payment provider refused", error.Message);
        Assert.Equal(["kept"], Store.ReadEvents("t1").Select(e => e.Id));
        Assert.Empty(Store.ListInvoices("t1"));
        Assert.Empty(Store.ListGrants("t1", "cust-1"));
        Assert.Empty(Store.ReadLedger("t1", "cust-1"));
        Assert.Empty(Store.ReadRejected("t1"));
        // The number taken inside the rolled-back transaction is handed out again: no gap.
        Assert.Equal(2, Store.NextInvoiceNumber("t1"));
        // And the event appended inside it was never claimed.
        Assert.Equal([AppendStatus.Accepted], Store.AppendEvents([Event("lost")]));
    }

    [Fact]
    public void A_transaction_commits_all_writes_together_and_sees_its_own_writes()
    {
        var number = Store.InTransaction(s =>
        {
            var n = s.NextInvoiceNumber("t1");
            s.SaveInvoice(Invoice("inv-1") with { Number = $"INV-{n:000000}" });
            s.AppendLedger(Ledger("l-1"));
            Assert.Equal($"INV-{n:000000}", s.FindInvoice("t1", "inv-1")?.Number);
            // A nested transaction joins the outer one.
            s.InTransaction(inner => inner.AppendEvents([Event("a")]));
            Assert.Single(s.ReadEvents("t1"));
            return n;
        });

        Assert.Equal(1, number);
        Assert.Equal("INV-000001", Store.FindInvoice("t1", "inv-1")?.Number);
        Assert.Single(Store.ReadLedger("t1", "cust-1"));
        Assert.Single(Store.ReadEvents("t1"));
        Assert.Equal(2, Store.NextInvoiceNumber("t1"));
    }

    [Fact]
    public void Uncommitted_writes_are_invisible_to_other_threads()
    {
        List<StoredEvent>? seenFromOtherThread = null;
        Store.InTransaction(s =>
        {
            s.AppendEvents([Event("a")]);
            var reader = new Thread(() => seenFromOtherThread = Store.ReadEvents("t1").ToList());
            reader.Start();
            reader.Join();
            return 0;
        });

        Assert.NotNull(seenFromOtherThread);
        Assert.Empty(seenFromOtherThread);
        Assert.Single(Store.ReadEvents("t1"));
    }

    [Fact]
    public void Tenants_never_see_each_others_rows()
    {
        Store.AppendEvents([Event("a", tenant: "A", subject: "shared"), Event("b", tenant: "A", subject: "shared")]);
        Store.SaveInvoice(Invoice("inv-1", tenant: "A", customer: "shared"));
        Store.SaveGrant(Grant("g-1", tenant: "A", customer: "shared"));
        Store.AppendLedger(Ledger("l-1", tenant: "A", customer: "shared"));
        Store.AddRejected(Rejected("r-1", tenant: "A"));
        Store.NextInvoiceNumber("A");

        Assert.Empty(Store.ReadEvents("B"));
        Assert.Empty(Store.ReadEvents("B", "shared"));
        Assert.Empty(Store.Customers("B"));
        Assert.Null(Store.FindInvoice("B", "inv-1"));
        Assert.Empty(Store.ListInvoices("B"));
        Assert.Empty(Store.ListInvoices("B", "shared"));
        Assert.Empty(Store.ListGrants("B", "shared"));
        Assert.Empty(Store.ReadLedger("B", "shared"));
        Assert.Empty(Store.ReadRejected("B"));
        Assert.Equal(1, Store.NextInvoiceNumber("B"));
        // The same ids under tenant B are new rows, not duplicates or replacements.
        Assert.Equal([AppendStatus.Accepted], Store.AppendEvents([Event("a", tenant: "B", subject: "shared")]));
        Store.AppendLedger(Ledger("l-1", tenant: "B", customer: "shared"));
        Assert.Equal(2, Store.ReadEvents("A").Count());
        Assert.Single(Store.ReadLedger("A", "shared"));
    }

    [Fact]
    public void Everything_written_survives_a_reopen()
    {
        Store.AppendEvents([Event("a", minute: 1), Event("b", subject: "cust-2")]);
        var invoice = Invoice("inv-1");
        Store.SaveInvoice(invoice);
        Store.SaveGrant(Grant("g-1"));
        Store.AppendLedger(Ledger("l-1"));
        Store.AddRejected(Rejected("r-1"));
        Store.NextInvoiceNumber("t1");
        var events = Store.ReadEvents("t1").ToList();
        var invoiceJson = Json(Store.FindInvoice("t1", "inv-1"));

        Reopen();

        Assert.Equal(events, Store.ReadEvents("t1").ToList());
        Assert.Equal(invoiceJson, Json(Store.FindInvoice("t1", "inv-1")));
        Assert.Equal(["g-1"], Store.ListGrants("t1", "cust-1").Select(g => g.Id));
        Assert.Equal([Ledger("l-1")], Store.ReadLedger("t1", "cust-1"));
        Assert.Equal([Rejected("r-1")], Store.ReadRejected("t1"));
        // Counters and dedup keys survive too.
        Assert.Equal(2, Store.NextInvoiceNumber("t1"));
        Assert.Equal([AppendStatus.Duplicate, AppendStatus.Accepted], Store.AppendEvents([Event("a"), Event("c")]));
        var newest = Store.ReadEvents("t1").Single(e => e.Id == "c");
        Assert.True(newest.Sequence > events.Max(e => e.Sequence));
    }

    [Fact]
    public void A_session_transaction_rolls_back_every_aggregate_and_the_outcome_state_together()
    {
        IStoreSession session = Store;
        Assert.Throws<InvalidOperationException>(() => session.InTransaction<int>(tx =>
        {
            tx.Events.AppendEvents([Event("lost")]);
            tx.Rejections.AddRejected(Rejected("r-lost"));
            tx.Invoices().SaveInvoice(Invoice("inv-lost"));
            tx.Credits().SaveGrant(Grant("g-lost"));
            tx.Credits().AppendLedger(Ledger("l-lost"));
            tx.OutcomeState()!.SetRuleSet("t1", "rules-hash");
            throw new InvalidOperationException("roll back");
        }));

        Assert.Empty(session.Events.ReadEvents("t1"));
        Assert.Empty(session.Rejections.ReadRejected("t1"));
        Assert.Empty(session.Invoices().ListInvoices("t1"));
        Assert.Empty(session.Credits().ListGrants("t1", "cust-1"));
        Assert.Empty(session.Credits().ReadLedger("t1", "cust-1"));
        Assert.Null(session.OutcomeState()!.Tenant("t1"));
    }

    [Fact]
    public void A_session_transaction_commits_every_aggregate_and_the_outcome_state_and_a_nested_one_joins_it()
    {
        IStoreSession session = Store;
        session.InTransaction(tx =>
        {
            tx.Events.AppendEvents([Event("kept")]);
            tx.Invoices().SaveInvoice(Invoice("inv-1"));
            tx.InTransaction(inner =>
            {
                inner.Credits().AppendLedger(Ledger("l-1"));
                inner.OutcomeState()!.SetRuleSet("t1", "rules-hash");
                return 0;
            });
            // The outer transaction sees what the nested one wrote before either commits.
            Assert.Single(tx.Credits().ReadLedger("t1", "cust-1"));
            return 0;
        });

        Reopen();
        session = Store;
        Assert.Equal(["kept"], session.Events.ReadEvents("t1").Select(e => e.Id));
        Assert.Equal(["inv-1"], session.Invoices().ListInvoices("t1").Select(i => i.Id));
        Assert.Equal([Ledger("l-1")], session.Credits().ReadLedger("t1", "cust-1"));
        Assert.Equal("rules-hash", session.OutcomeState()!.Tenant("t1")?.RuleSetHash);
    }
}
