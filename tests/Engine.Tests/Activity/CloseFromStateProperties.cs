using System.Globalization;
using System.Text.Json;
using FsCheck.Xunit;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Postgres;
using RulesBilling.Engine.Tests.Billing;
using RulesBilling.Engine.Tests.Ingestion;
using RulesBilling.Engine.Tests.Outcomes;
using TestClock = RulesBilling.Engine.Tests.Billing.TestClock;
using RulesBilling.Engine.Tests.Storage;

namespace RulesBilling.Engine.Tests.Activity;

/// <summary>
/// Issue 13: a period close reads the outcome state, not the raw history. For any event stream, batch split and
/// duplicates, on every store, the invoice (and rating errors) of every period drafted from the stored state is
/// byte for byte the one drafted by full recomputation from the events (the oracle) — also after the rules change
/// (the state is rebuilt first, and events that no longer bind are excluded) and after more events arrive.
/// </summary>
public sealed class CloseFromStateProperties
{
    private const string Tenant = "t1";
    private static readonly string[] Customers = ["acme", "beta", "gamma"];
    private static readonly DateTimeOffset Start = new(2026, 1, 20, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The shipped support rules: condition, key, 7-day hold with reversals, dimensions, a cost rule with a margin guard.</summary>
    private static readonly CompiledRuleSet Rules = Compile(File.ReadAllText(RulesFile()));

    /// <summary>The same rules with a new required field: stored closed events without it no longer bind (rejected-by-schema).</summary>
    private static readonly CompiledRuleSet Changed = Compile(File.ReadAllText(RulesFile())
        .Replace("  escalated: bool\n", "  escalated: bool\n  agent: string\n", StringComparison.Ordinal));

    [Property(MaxTest = 30)]
    public bool Close_from_state_equals_recomputation_on_the_in_memory_store(int[] raw, int[] cuts, bool[] duplicates)
    {
        using var store = new InMemoryBillingStore();
        return Scenario(store, raw, cuts, duplicates);
    }

    [Property(MaxTest = 15)]
    public bool Close_from_state_equals_recomputation_on_LiteDB(int[] raw, int[] cuts, bool[] duplicates)
    {
        using var directory = new TempDirectory();
        using var store = new LiteDbBillingStore(directory.File("billing.db"));
        return Scenario(store, raw, cuts, duplicates);
    }

    [Property(MaxTest = 8)]
    public bool Close_from_state_equals_recomputation_on_PostgreSQL(int[] raw, int[] cuts, bool[] duplicates)
    {
        using var database = new PostgresTestDatabase();
        using var store = PostgresBillingStore.Open(database.ConnectionString);
        return Scenario(store, raw, cuts, duplicates);
    }

    [Fact]
    public void A_direct_append_after_the_state_was_built_is_not_missed_once_the_state_is_invalidated()
    {
        using var store = new InMemoryBillingStore();
        Ingest(store, Rules, [Decode(1), Decode(2)]);
        Assert.NotNull(StoredOutcomes.Read(store, Tenant, "acme", Rules));
        EngineFixture.Append(store, TicketRules.Stored(Tenant, "bench", "late-1", "support.ticket.closed", "acme", "2026-01-21T10:00:00Z",
            new Dictionary<string, object?> { ["ticket_id"] = "T-late", ["status"] = "closed", ["channel"] = "chat", ["handle_time"] = 60m, ["escalated"] = false }));
        Assert.True(AgreesEverywhere(store, Rules));
        var invoice = PeriodRater.Rate(Tenant, CustomerActivity.Load(store, Tenant, "acme", Rules), PeriodOf("acme", Start)).Draft!;
        Assert.Contains("bench/late-1", invoice.Lines.SelectMany(l => l.Events));
    }

    private static bool Scenario(IBillingStore store, int[] raw, int[] cuts, bool[] duplicates)
    {
        var events = raw.Select(Decode).ToList();
        var half = events.Count / 2;
        IngestInBatches(store, Rules, events.Take(half).ToList(), cuts, duplicates);
        if (!AgreesEverywhere(store, Rules)) return false;
        IngestInBatches(store, Rules, events.Skip(half).ToList(), cuts, duplicates);
        if (!AgreesEverywhere(store, Rules)) return false;
        // A rule-set change: the first read rebuilds the state for the new rules, then ingestion keeps it.
        if (!AgreesEverywhere(store, Changed)) return false;
        IngestInBatches(store, Changed, raw.Take(5).Select(v => Decode(v, agent: true, salt: "again")).ToList(), cuts, duplicates);
        return AgreesEverywhere(store, Changed);
    }

    private static void IngestInBatches(IBillingStore store, CompiledRuleSet rules, List<string> events, int[] cuts, bool[] duplicates)
    {
        var position = 0;
        var batch = 0;
        while (position < events.Count)
        {
            var size = 1 + (int)((uint)(cuts.Length == 0 ? 7 : cuts[batch % cuts.Length]) % 6);
            var body = events.Skip(position).Take(size).ToList();
            position += body.Count;
            if (batch < duplicates.Length && duplicates[batch]) body.Add(body[0]);
            Ingest(store, rules, body);
            batch++;
        }
    }

    private static void Ingest(IBillingStore store, CompiledRuleSet rules, List<string> body)
    {
        var result = new EventIngestor(store, new TestClock(Start)).Ingest(Tenant, CloudEvents.Batch([.. body]), rules);
        Assert.Null(result.Error);
        Assert.DoesNotContain(result.Events, r => r.Status == EventStatus.Rejected);
    }

    /// <summary>Every period of every customer from December to March: drafted from the state == drafted from the events.</summary>
    private static bool AgreesEverywhere(IBillingStore store, CompiledRuleSet rules)
    {
        foreach (var customer in Customers)
        {
            // The state path must really be taken (a silent fallback to the oracle would make this trivially true).
            if (StoredOutcomes.Read(store, Tenant, customer, rules) is null && store.ReadEvents(Tenant, customer).Any()) return false;
            var fromState = CustomerActivity.Load(store, Tenant, customer, rules);
            var fromEvents = CustomerActivity.From(rules, customer, store.ReadEvents(Tenant, customer));
            foreach (var period in fromEvents.PeriodsBetween(new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)))
            {
                if (Show(PeriodRater.Rate(Tenant, fromState, period)) != Show(PeriodRater.Rate(Tenant, fromEvents, period))) return false;
            }
        }
        return true;
    }

    private static string Show(RatedPeriod rated) =>
        (rated.Draft is { } draft ? InvoiceJson.Serialize(draft) : "no draft") + "\n" + JsonSerializer.Serialize(rated.Errors);

    private static ContractPeriod PeriodOf(string customer, DateTimeOffset at) =>
        ContractResolver.PeriodAt(Rules.Contracts, customer, at, []) ?? throw new InvalidOperationException("no contract");

    /// <summary>
    /// One event from one integer: customer; closed ticket (status, csat, escalation, priority, channel, handle
    /// time), reopen or LLM call (cost, sometimes zero, with or without a ticket); a time over about two months
    /// around the January/February boundary, so holds and reversals cross period ends. Equal integers are the same
    /// event sent twice.
    /// </summary>
    private static string Decode(int value) => Decode(value, agent: false, salt: "");

    private static string Decode(int value, bool agent, string salt)
    {
        var x = unchecked((uint)value * 2654435761u);
        var customer = Customers[x % 3];
        var kind = x / 3 % 5;
        var ticket = $"T-{x / 15 % 4}";
        var time = Start.AddHours(x / 60 % 1000).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var data = new Dictionary<string, object?>();
        string type;
        if (kind <= 2)
        {
            type = "support.ticket.closed";
            data["ticket_id"] = ticket;
            data["status"] = x / 7 % 4 == 0 ? "pending" : "closed";
            if (x / 11 % 3 != 0) data["csat"] = (int)(x / 13 % 5) + 1;
            if (x / 17 % 2 == 0) data["priority"] = x / 19 % 2 == 0 ? "urgent" : "low";
            data["channel"] = x / 23 % 2 == 0 ? " Email" : "chat";
            data["handle_time"] = (int)(x / 29 % 4000);
            data["escalated"] = x / 31 % 9 == 0;
            if (agent) data["agent"] = "ann";
        }
        else if (kind == 3)
        {
            type = "support.ticket.reopened";
            data["ticket_id"] = ticket;
        }
        else
        {
            type = "support.llm.call";
            if (x / 37 % 3 != 0) data["ticket_id"] = ticket;
            data["model"] = "m1";
            data["cost_usd"] = (decimal)(x / 41 % 4) * 0.75m;
        }
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["specversion"] = "1.0",
            ["id"] = $"e{value}{salt}",
            ["source"] = x / 43 % 2 == 0 ? "agent-a" : "agent-b",
            ["type"] = type,
            ["subject"] = customer,
            ["time"] = time,
            ["data"] = data,
        });
    }

    private static CompiledRuleSet Compile(string text)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("support_agent.rules", text)]);
        Assert.True(compilation.Success, compilation.Render());
        return compilation.RuleSet!;
    }

    private static string RulesFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "pricing-rules", "support_agent.rules");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("pricing-rules/support_agent.rules not found above the test directory");
    }
}
