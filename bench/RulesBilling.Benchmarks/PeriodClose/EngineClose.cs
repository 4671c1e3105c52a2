using RulesBilling.Benchmarks.Workload;
using RulesBilling.Engine;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Benchmarks.PeriodClose;

/// <summary>The engine's period close: compile the rules, then finalize March 2026 for every customer.</summary>
internal static class EngineClose
{
    public static void Run(string database, int customers, decimal[] totals)
    {
        var rules = BenchRules.Compile(customers);
        using var store = new LiteDbBillingStore(database);
        var lifecycle = new InvoiceLifecycle(store, new FixedRuleSet(rules), new FixedClock(BenchTasks.March.AddDays(32)));
        for (var c = 0; c < customers; c++)
        {
            totals[c] = lifecycle.Finalize(BenchRules.Tenant, BenchRules.CustomerId(c), BenchTasks.March).Total;
        }
    }
}
