using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// The ticket rules priced as: base 100 USD per month, 2.50 USD per resolved ticket; contract "standard"
/// version 1 from 2026-01-01 for every customer, monthly on the 1st, in USD.
/// </summary>
internal static class EngineFixture
{
    public const string T = "t1";

    public static readonly ChargeRule ResolvedCharge = new("resolved", null, null, new UnitModel(PriceList.Single("USD", 2.50m)), 0m, null, Here);

    public static readonly PricingPlan Standard = new("standard", PriceList.Single("USD", 100m), [ResolvedCharge], null, null, [], ["USD"]);

    public static readonly ContractVersion StandardV1 = Contracts.Version("standard", 1, "2026-01-01");

    public static CompiledRuleSet Rules(OutcomeRule? outcome = null, PricingPlan? plan = null, IReadOnlyList<ContractVersion>? contracts = null) =>
        Set([outcome ?? Resolved], pricings: [plan ?? Standard], contracts: contracts ?? [StandardV1]);

    public static (UseCases Engine, TestClock Clock) NewEngine(IBillingStore store, CompiledRuleSet rules, string now)
    {
        var clock = new TestClock(At(now));
        return (new UseCases(store, new FixedRuleSet(rules), clock), clock);
    }

    /// <summary>
    /// Stores events directly (they are valid by construction). They bypass ingestion, so, as every such path must,
    /// the tenant's outcome state is marked stale and rebuilt by the next read.
    /// </summary>
    public static void Append(IBillingStore store, params StoredEvent[] events)
    {
        store.AppendEvents(events);
        foreach (var tenant in events.Select(e => e.Tenant).Distinct()) StoredOutcomes.Invalidate(store, tenant);
    }

    /// <summary>A CloudEvents 1.0 JSON object for a ticket.closed event.</summary>
    public static string ClosedJson(string id, string customer, string time, string ticket, string source = "agent-a") =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["specversion"] = "1.0", ["id"] = id, ["source"] = source, ["type"] = "ticket.closed",
            ["subject"] = customer, ["time"] = time,
            ["data"] = new Dictionary<string, object> { ["ticket_id"] = ticket, ["status"] = "closed" },
        });

    public static IngestionResult Ingest(IBillingStore store, CompiledRuleSet rules, TimeProvider time, IEnumerable<string> events) =>
        new EventIngestor(store, time).Ingest(T, "[" + string.Join(",", events) + "]", rules);
}
