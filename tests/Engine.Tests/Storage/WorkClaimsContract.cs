using RulesBilling.Engine.Claims;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>The behaviour of every <see cref="IWorkClaims"/>: one holder per (kind, key), renewal, expiry, release.</summary>
public abstract class WorkClaimsContract : IDisposable
{
    protected abstract IWorkClaims Claims { get; }

    /// <summary>Lets at least <paramref name="span"/> pass on the clock the claims are timed by.</summary>
    protected abstract void LetTimePass(TimeSpan span);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    [Fact]
    public void A_held_claim_refuses_other_owners_and_renews_for_its_owner()
    {
        Assert.True(Claims.TryClaim("finalize", "t1/cust-1/2026-03", "node-a", TimeSpan.FromMinutes(5)));

        Assert.False(Claims.TryClaim("finalize", "t1/cust-1/2026-03", "node-b", TimeSpan.FromMinutes(5)));
        Assert.True(Claims.TryClaim("finalize", "t1/cust-1/2026-03", "node-a", TimeSpan.FromMinutes(5)));
        Assert.True(Claims.Holds("finalize", "t1/cust-1/2026-03", "node-a"));
        Assert.False(Claims.Holds("finalize", "t1/cust-1/2026-03", "node-b"));
        // Kind and key both identify the claim.
        Assert.True(Claims.TryClaim("finalize", "t1/cust-2/2026-03", "node-b", TimeSpan.FromMinutes(5)));
        Assert.True(Claims.TryClaim("outbox", "t1/cust-1/2026-03", "node-b", TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void An_expired_claim_is_taken_over_and_the_old_owner_no_longer_holds_it()
    {
        Assert.True(Claims.TryClaim("finalize", "k", "dead-node", TimeSpan.FromMilliseconds(1)));

        LetTimePass(TimeSpan.FromMilliseconds(50));

        Assert.False(Claims.Holds("finalize", "k", "dead-node"));
        Assert.True(Claims.TryClaim("finalize", "k", "node-b", TimeSpan.FromMinutes(5)));
        Assert.True(Claims.Holds("finalize", "k", "node-b"));
        Assert.False(Claims.TryClaim("finalize", "k", "dead-node", TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Release_frees_the_claim_only_for_its_owner()
    {
        Claims.TryClaim("webhook", "w-1", "node-a", TimeSpan.FromMinutes(5));

        Claims.Release("webhook", "w-1", "node-b");
        Assert.True(Claims.Holds("webhook", "w-1", "node-a"));

        Claims.Release("webhook", "w-1", "node-a");
        Assert.False(Claims.Holds("webhook", "w-1", "node-a"));
        Assert.True(Claims.TryClaim("webhook", "w-1", "node-b", TimeSpan.FromMinutes(5)));
        Claims.Release("webhook", "never-claimed", "node-a");
    }

    [Fact]
    public void Of_many_concurrent_contenders_exactly_one_gets_the_claim()
    {
        const int Contenders = 8;
        var winners = new bool[Contenders];
        using var start = new Barrier(Contenders);
        var threads = Enumerable.Range(0, Contenders).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            winners[i] = Claims.TryClaim("finalize", "contested", $"node-{i}", TimeSpan.FromMinutes(5));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var winner = Assert.Single(Enumerable.Range(0, Contenders), i => winners[i]);
        Assert.True(Claims.Holds("finalize", "contested", $"node-{winner}"));
    }

    [Fact]
    public void Empty_names_and_negative_leases_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Claims.TryClaim("", "k", "o", TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentException>(() => Claims.TryClaim("k", "k", "", TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Claims.TryClaim("k", "k", "o", TimeSpan.FromSeconds(-1)));
    }
}
