using RulesBilling.Engine.Claims;
using RulesBilling.Engine.Storage.Postgres;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>Claims on PostgreSQL: the shared claim contract, plus fencing inside a transaction and several nodes.</summary>
public sealed class PostgresWorkClaimsTests : WorkClaimsContract
{
    private readonly PostgresTestDatabase _database = new();
    private readonly Lazy<PostgresBillingStore> _store;

    public PostgresWorkClaimsTests() => _store = new(() => PostgresBillingStore.Open(_database.ConnectionString));

    protected override IWorkClaims Claims => _store.Value;

    // Leases run on the database clock, so the only way to let a lease lapse is to wait past it.
    protected override void LetTimePass(TimeSpan span) => Thread.Sleep(span);

    public override void Dispose()
    {
        if (_store.IsValueCreated) _store.Value.Dispose();
        _database.Dispose();
        base.Dispose();
    }

    [Fact]
    public void Claims_are_shared_between_nodes_on_the_same_database()
    {
        using var otherNode = PostgresBillingStore.Open(_database.ConnectionString);

        Assert.True(Claims.TryClaim("finalize", "k", "node-a", TimeSpan.FromMinutes(5)));

        Assert.False(otherNode.TryClaim("finalize", "k", "node-b", TimeSpan.FromMinutes(5)));
        Assert.True(otherNode.Holds("finalize", "k", "node-a"));
    }

    [Fact]
    public void Holds_inside_a_transaction_keeps_a_takeover_waiting_until_the_work_commits()
    {
        var store = _store.Value;
        using var otherNode = PostgresBillingStore.Open(_database.ConnectionString);
        var lease = TimeSpan.FromSeconds(1);
        Assert.True(store.TryClaim("finalize", "k", "slow-node", lease));
        bool? tookOver = null;
        bool? sawTheFinishedWork = null;
        var contender = new Thread(() =>
        {
            tookOver = otherNode.TryClaim("finalize", "k", "node-b", TimeSpan.FromMinutes(5));
            sawTheFinishedWork = otherNode.FindInvoice("t1", "inv-1") is not null;
        });

        store.InTransaction(s =>
        {
            Assert.True(store.Holds("finalize", "k", "slow-node"));
            // The slow node outlives its lease while it works; the contender tries to take over meanwhile.
            contender.Start();
            Thread.Sleep(lease + TimeSpan.FromMilliseconds(300));
            s.SaveInvoice(Invoice("inv-1"));
            return 0;
        });
        contender.Join();

        // The takeover happened (the lease had lapsed), but only after the slow node's work had committed: without
        // the lock taken by Holds it would have run during the sleep and found no invoice.
        Assert.True(tookOver);
        Assert.True(sawTheFinishedWork);
    }

    [Fact]
    public void Claiming_or_releasing_inside_a_transaction_is_refused()
    {
        var store = _store.Value;

        var claim = Assert.Throws<InvalidOperationException>(() => store.InTransaction(_ => store.TryClaim("k", "k", "o", TimeSpan.FromMinutes(1))));
        var release = Assert.Throws<InvalidOperationException>(() => store.InTransaction(_ =>
        {
            store.Release("k", "k", "o");
            return 0;
        }));

        Assert.Contains("outside InTransaction", claim.Message);
        Assert.Contains("outside InTransaction", release.Message);
    }
}
