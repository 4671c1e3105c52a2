using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Tests.Ingestion;

/// <summary>Group commit of overlapping appends on a single-writer store: shared transaction, own results, own failures.</summary>
public sealed class AppendCombinerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static StoredEvent Event(string id) =>
        new("t1", "src", id, "call", "acme", Now, Now, 0, """{"minutes":1}""");

    /// <summary>
    /// The first append holds the writer until two more have queued; those two then commit together, which a reader
    /// outside the transaction shows: while the second runs, the first of the pair is not visible yet.
    /// </summary>
    [Fact]
    public async Task Appends_queued_behind_a_running_one_commit_in_one_transaction_and_each_gets_its_own_result()
    {
        using var store = new InMemoryBillingStore();
        var combiner = new AppendCombiner(store);
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = Task.Run(() => combiner.Run(s =>
        {
            holding.Set();
            release.Wait();
            return s.AppendEvents([Event("e1")]);
        }));
        holding.Wait();

        var seenByOthers = new List<int>();
        var second = Task.Run(() => combiner.Run(s => s.AppendEvents([Event("e2")])));
        // Queued in this order, so they run in this order.
        await WaitUntilQueued(combiner, 1);
        var third = Task.Run(() => combiner.Run(s =>
        {
            // Read on another thread (a task could run inline here), i.e. only committed state.
            var reader = new Thread(() =>
            {
                var count = store.ReadEvents("t1").Count();
                lock (seenByOthers) seenByOthers.Add(count);
            });
            reader.Start();
            reader.Join();
            return s.AppendEvents([Event("e3"), Event("e2")]);
        }));
        await WaitUntilQueued(combiner, 2);
        release.Set();

        Assert.Equal([AppendStatus.Accepted], await first);
        Assert.Equal([AppendStatus.Accepted], await second);
        // e2 was appended by the call before it in the same transaction: a duplicate, as one after the other.
        Assert.Equal([AppendStatus.Accepted, AppendStatus.Duplicate], await third);
        Assert.Equal([1], seenByOthers);
        Assert.Equal(["e1", "e2", "e3"], store.ReadEvents("t1").Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_failing_append_in_a_shared_transaction_fails_alone_and_the_others_commit()
    {
        using var store = new InMemoryBillingStore();
        var combiner = new AppendCombiner(store);
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = Task.Run(() => combiner.Run(s =>
        {
            holding.Set();
            release.Wait();
            return s.AppendEvents([Event("e1")]);
        }));
        holding.Wait();

        var failing = Task.Run(() => combiner.Run<IReadOnlyList<AppendStatus>>(s =>
        {
            s.AppendEvents([Event("bad")]);
            throw new IOException("disk full");
        }));
        var good = Task.Run(() => combiner.Run(s => s.AppendEvents([Event("e2")])));
        await WaitUntilQueued(combiner, 2);
        release.Set();

        await first;
        Assert.Equal("disk full", (await Assert.ThrowsAsync<IOException>(() => failing)).Message);
        Assert.Equal([AppendStatus.Accepted], await good);
        Assert.Equal(["e1", "e2"], store.ReadEvents("t1").Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_long_queue_is_committed_in_transactions_of_at_most_MaxGroup_appends()
    {
        using var store = new InMemoryBillingStore();
        var combiner = new AppendCombiner(store);
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = Task.Run(() => combiner.Run(s =>
        {
            holding.Set();
            release.Wait();
            return s.AppendEvents([Event("e0")]);
        }));
        holding.Wait();

        // Each work notes how many events were committed when it ran: works of one transaction see the same number.
        var seen = new List<int>();
        // Own threads (LongRunning): twenty blocked pool threads would wait for the pool to grow.
        var queued = Enumerable.Range(1, AppendCombiner.MaxGroup + 4).Select(i => Task.Factory.StartNew(() => combiner.Run(s =>
        {
            var reader = new Thread(() =>
            {
                var count = store.ReadEvents("t1").Count();
                lock (seen) seen.Add(count);
            });
            reader.Start();
            reader.Join();
            return s.AppendEvents([Event($"e{i}")]);
        }), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();
        await WaitUntilQueued(combiner, AppendCombiner.MaxGroup + 4);
        release.Set();

        await first;
        Assert.All(await Task.WhenAll(queued), statuses => Assert.Equal([AppendStatus.Accepted], statuses));
        Assert.Equal(AppendCombiner.MaxGroup + 5, store.ReadEvents("t1").Count());
        var perTransaction = seen.GroupBy(n => n).Select(g => g.Count()).ToList();
        Assert.Equal(AppendCombiner.MaxGroup, perTransaction.Max());
        Assert.Equal(AppendCombiner.MaxGroup + 4, perTransaction.Sum());
    }

    private static async Task WaitUntilQueued(AppendCombiner combiner, int count)
    {
        for (var i = 0; i < 2000 && combiner.Queued < count; i++) await Task.Delay(10);
        Assert.Equal(count, combiner.Queued);
    }
}
