using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Storage;
using static RulesBilling.Engine.Tests.Ingestion.CloudEvents;

namespace RulesBilling.Engine.Tests.Ingestion;

/// <summary>
/// Exactly-once storage: however a set of distinct events is ordered, split into batches and repeated, the store
/// ends up holding exactly that set, and the counts add up (each distinct event accepted once, every other
/// copy reported as a duplicate).
/// </summary>
public sealed class IngestionProperties
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Distinct events, then the sequence of batches they are sent in (with repeats, in any order).</summary>
    public sealed record Scenario(IReadOnlyList<string> Distinct, IReadOnlyList<IReadOnlyList<string>> Batches)
    {
        public override string ToString() => $"{Distinct.Count} distinct, batches of sizes [{string.Join(",", Batches.Select(b => b.Count))}]";
    }

    private static readonly Gen<Scenario> Scenarios =
        from count in Gen.Choose(1, 30)
        from seconds in Gen.ListOf(Gen.Choose(0, 4), count)
        from sources in Gen.ListOf(Gen.Elements("agent://a", "agent://b", "agent://B"), count)
        from customers in Gen.ListOf(Gen.Elements("cust-1", "cust-2"), count)
        from repeats in Gen.ListOf(Gen.Choose(1, 3), count)
        let distinct = Enumerable.Range(0, count)
            // Ids repeat across sources on purpose ("e1" under two sources is two events).
            .Select(i => Call($"e{i / 2}", source: sources[i], subject: customers[i], time: $"2026-03-01T10:00:0{seconds[i]}Z", minutes: i))
            .DistinctBy(IdentityOf)
            .ToList()
        let copies = distinct.SelectMany((e, i) => Enumerable.Repeat(e, repeats[i])).ToList()
        from order in Gen.Shuffle(copies.ToArray())
        from sizes in Gen.ListOf(Gen.Choose(1, 8), copies.Count)
        select new Scenario(distinct, Split(order, sizes));

    [Property(MaxTest = 100)]
    public Property In_memory_store_holds_exactly_the_distinct_set() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            using var store = new InMemoryBillingStore();
            return HoldsExactlyTheDistinctSet(store, scenario);
        });

    [Property(MaxTest = 25)]
    public Property LiteDb_store_holds_exactly_the_distinct_set() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            using var directory = new TempDirectory();
            using var store = new LiteDbBillingStore(directory.File("billing.db"));
            return HoldsExactlyTheDistinctSet(store, scenario);
        });

    private static bool HoldsExactlyTheDistinctSet(IBillingStore store, Scenario scenario)
    {
        var ingestor = new EventIngestor(store, new TestClock(Now));
        var results = scenario.Batches.Select(b => ingestor.Ingest("t1", Batch(b.ToArray()), TestRules.Calls)).ToList();

        // The reference: ingesting the distinct set once, in one batch, into a fresh store.
        using var reference = new InMemoryBillingStore();
        new EventIngestor(reference, new TestClock(Now)).Ingest("t1", Batch(scenario.Distinct.ToArray()), TestRules.Calls);

        var total = scenario.Batches.Sum(b => b.Count);
        return results.All(r => r.Succeeded && r.Rejected == 0)
            && results.Sum(r => r.Accepted) == scenario.Distinct.Count
            && results.Sum(r => r.Duplicates) == total - scenario.Distinct.Count
            && Projection(store).SequenceEqual(Projection(reference));
    }

    /// <summary>Everything about a stored event except its arrival sequence, which depends on the order sent.</summary>
    private static IEnumerable<string> Projection(IBillingStore store) =>
        store.ReadEvents("t1").Select(e => string.Join("|", e.Tenant, e.Source, e.Id, e.Type, e.Subject, e.Time.ToString("o"), e.StoredAt.ToString("o"), e.DataJson));

    private static string IdentityOf(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("source").GetString() + "\u001f" + document.RootElement.GetProperty("id").GetString();
    }

    private static IReadOnlyList<IReadOnlyList<string>> Split(IReadOnlyList<string> events, IReadOnlyList<int> sizes)
    {
        var batches = new List<IReadOnlyList<string>>();
        for (int i = 0, n = 0; i < events.Count; n++)
        {
            batches.Add(events.Skip(i).Take(sizes[n]).ToList());
            i += sizes[n];
        }
        return batches;
    }
}
