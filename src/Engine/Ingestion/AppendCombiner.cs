using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Ingestion;

/// <summary>
/// Group commit for a store with a single serialized writer (LiteDB, in-memory): appends that arrive while another
/// one holds the writer wait for it, then the next of them runs those that queued meanwhile (up to <see cref="MaxGroup"/>), in call order, in one
/// store transaction, and each caller returns once that transaction committed. A commit and the outcome state's
/// per-append work are paid once per group instead of once per request, and nothing is acknowledged earlier than
/// before: a caller's work is durable when it returns, exactly as with its own transaction. Each work still sees
/// the writes of those before it (dedup across them is the same as one after the other). When the shared
/// transaction throws, it is rolled back and each work runs again alone, so one request's failure is its own.
/// <para>
/// Not for PostgreSQL: there one transaction's key-group locks must be taken in one ordinal order, which several
/// appends in one transaction would break; and its nodes write concurrently anyway.
/// </para>
/// </summary>
internal sealed class AppendCombiner(IBillingStore store)
{
    /// <summary>The most appends one transaction takes, so a long queue does not make one huge transaction (and wait).</summary>
    public const int MaxGroup = 16;

    // Monitor, not System.Threading.Lock: followers wait on it.
    private readonly object _gate = new();
    private readonly List<Pending> _queue = [];
    private bool _running;

    /// <summary>Whether <paramref name="store"/> has one writer at a time, so combining changes no lock order.</summary>
    public static bool Suits(IBillingStore store) => store is LiteDbBillingStore or InMemoryBillingStore;

    /// <summary>How many appends wait for the running one (for tests).</summary>
    internal int Queued
    {
        get
        {
            lock (_gate) return _queue.Count;
        }
    }

    public T Run<T>(Func<IBillingStore, T> work)
    {
        var mine = new Pending(s => work(s));
        List<Pending> group;
        lock (_gate)
        {
            _queue.Add(mine);
            while (_running && !mine.Done) Monitor.Wait(_gate);
            if (mine.Done) return mine.Result<T>();
            _running = true;
            // This caller and the oldest others, in call order.
            var others = _queue.Where(p => p != mine).Take(MaxGroup - 1).ToHashSet();
            group = _queue.Where(p => p == mine || others.Contains(p)).ToList();
            _queue.RemoveAll(p => p == mine || others.Contains(p));
        }

        try
        {
            Execute(group);
        }
        finally
        {
            lock (_gate)
            {
                foreach (var p in group) p.Done = true;
                _running = false;
                Monitor.PulseAll(_gate);
            }
        }
        return mine.Result<T>();
    }

    private void Execute(List<Pending> group)
    {
        if (group.Count > 1)
        {
            try
            {
                var results = store.InTransaction(s => group.Select(p => p.Work(s)).ToList());
                for (var i = 0; i < group.Count; i++) group[i].Value = results[i];
                return;
            }
            catch (Exception)
            {
                // Rolled back as a whole: below, each work gets its own transaction and its own outcome.
            }
        }

        foreach (var p in group)
        {
            try
            {
                p.Value = store.InTransaction(p.Work);
            }
            catch (Exception e)
            {
                p.Error = e;
            }
        }
    }

    private sealed class Pending(Func<IBillingStore, object?> work)
    {
        public Func<IBillingStore, object?> Work { get; } = work;

        public object? Value { get; set; }

        public Exception? Error { get; set; }

        public bool Done { get; set; }

        public T Result<T>()
        {
            if (Error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Error);
            return (T)Value!;
        }
    }
}
