using System.Globalization;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using UseCases = RulesBilling.Engine.Tests.Billing.UseCases;
using RulesBilling.Engine.Tests.Ingestion;
using RulesBilling.Engine.Tests.Storage;

namespace RulesBilling.Engine.Tests.Entitlements;

/// <summary>
/// The in-memory view kept current by ingestion answers exactly what a full recomputation from the store answers,
/// after any sequence of batches (with duplicates, reversals, late events, a contract version change) and at any
/// instant — and a new view over the reopened LiteDB file answers the same again.
/// </summary>
public sealed class EntitlementViewProperties
{
    private static readonly CompiledRuleSet Rules = EntitlementRules.Compile();
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Customers = ["acme", "globex"];

    /// <summary>The instants at which the view is asked; the last ones lie in another month and after the version change.</summary>
    private static readonly DateTimeOffset[] Instants =
    [
        Start.AddDays(15), Start.AddDays(31), Start.AddDays(31).AddHours(20), Start.AddDays(59), Start.AddDays(70),
    ];

    public sealed record Scenario(IReadOnlyList<IReadOnlyList<string>> Batches)
    {
        public override string ToString() => string.Join("\n", Batches.Select(b => "[" + string.Join(",", b) + "]"));
    }

    private static readonly Gen<string> Events =
        from kind in Gen.Choose(0, 5)
        from id in Gen.Choose(0, 40)
        from customer in Gen.Elements(Customers)
        from ticket in Gen.Elements("t1", "t2", "t3", "t4")
        from units in Gen.Choose(0, 3)
        from hours in Gen.Choose(0, 24 * 72)
        let time = Start.AddHours(hours).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
        // Ids are drawn from a small range, so the same (source, id) recurs and must be a duplicate.
        select kind switch
        {
            0 or 1 or 2 => EntitlementRules.Resolved($"r{id}", customer, time, ticket, units),
            3 => EntitlementRules.Reopened($"o{id}", customer, time, ticket),
            _ => EntitlementRules.Call($"c{id}", customer, time),
        };

    private static readonly Gen<Scenario> Scenarios =
        from batches in Gen.Choose(1, 5)
        from list in Gen.ListOf(Gen.NonEmptyListOf(Events).Select(l => (IReadOnlyList<string>)l.Take(8).ToList()), batches)
        select new Scenario(list.ToList());

    [Property(MaxTest = 30)]
    public Property The_view_equals_a_recomputation_from_the_store_and_after_a_restart() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            using var directory = new TempDirectory();
            var path = directory.File("billing.db");
            var clock = new TestClock(Start.AddDays(15));
            using (var store = new LiteDbBillingStore(path))
            {
                new UseCases(store, new FixedRuleSet(Rules), clock).GrantCredits("t1", "acme", 40m, "USD", grantId: "g1");
                var view = new EntitlementView(store, _ => Rules, clock);
                var ingestor = new EventIngestor(store, clock);
                // The view is asked before anything arrives, so a cached answer must follow ingestion.
                Assert.True(Matches(view, store, clock));
                foreach (var batch in scenario.Batches)
                {
                    Assert.True(ingestor.Ingest("t1", "[" + string.Join(",", batch) + "]", Rules).Succeeded);
                    if (!Matches(view, store, clock)) return false;
                }
            }

            using var reopened = new LiteDbBillingStore(path);
            return Matches(new EntitlementView(reopened, _ => Rules, clock), reopened, clock);
        });

    private static bool Matches(EntitlementView view, IBillingStore store, TestClock clock)
    {
        var original = clock.Now;
        try
        {
            foreach (var at in Instants)
            {
                clock.Now = at;
                foreach (var customer in Customers)
                {
                    var live = JsonSerializer.Serialize(view.Entitlements("t1", customer)) + JsonSerializer.Serialize(view.Balance("t1", customer));
                    var full = JsonSerializer.Serialize(EntitlementView.Recompute(Rules, store, "t1", customer, at))
                        + JsonSerializer.Serialize(EntitlementView.RecomputeBalance(Rules, store, "t1", customer, at));
                    if (live != full) return false;
                }
            }
            return true;
        }
        finally
        {
            clock.Now = original;
        }
    }
}
