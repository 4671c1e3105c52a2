using System.Text.Json;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Postgres;
using RulesBilling.Engine.Tests.Ingestion;
using RulesBilling.Engine.Tests.Storage;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Outcomes;

/// <summary>
/// The outcome state maintained at ingestion equals full detection from the stored events (the oracle), whatever
/// the arrival order, batch split, duplicates, late events and restarts, on every store.
/// </summary>
public sealed class StoredOutcomesProperties
{
    private const string Tenant = "t1";
    private static readonly string[] Customers = ["acme", "beta", "gamma"];
    private static readonly DateTimeOffset Start = At("2026-03-01T00:00:00Z");

    /// <summary>Resolved tickets: condition, key, 3-day dedup window, 7-day hold reversed by a reopen, quantity, value, a dimension.</summary>
    internal static readonly OutcomeRule HeldResolved = Resolved with
    {
        DedupWindow = TimeSpan.FromDays(3),
        Hold = Hold7d,
        // A negative unit count is an evaluation fault (rating-error), never a silent zero.
        Quantity = e => e.Fields[4] is decimal units ? units : 1m,
        Value = e => (decimal?)e.Fields[3] ?? 0m,
        ValueCurrency = "USD",
        Dimensions = [new DimensionRule("team", e => e.Fields[5] as string)],
    };

    /// <summary>Every closed event, unkeyed (each its own key group), split by agent.</summary>
    internal static readonly OutcomeRule Touched = new(
        "touched", "ticket.closed", Condition: null, Key: null, DedupWindow: null, Quantity: _ => 1m,
        Value: null, ValueCurrency: null, Hold: null, Dimensions: [],
        Split: new SplitRule("agent", [new SplitShareRule(0.5m, e => e.Fields[2] as string), new SplitShareRule(0.5m, _ => "pool")]),
        Location: Here);

    /// <summary>Reopens counted once per ticket per day; the reopen type is also the reversing type of <see cref="HeldResolved"/>.</summary>
    internal static readonly OutcomeRule Reopens = new(
        "reopens", "ticket.reopened", Condition: null, Key: e => (string)e.Fields[0]!, DedupWindow: TimeSpan.FromDays(1),
        Quantity: _ => 1m, Value: null, ValueCurrency: null, Hold: null, Dimensions: [], Split: null, Location: Here);

    /// <summary>
    /// Closed tickets that carried a trace (the CloudEvents extension traceparent), once per ticket per 2 days, by
    /// region (extension tenantregion): the members kept in the state must keep their extensions to be re-evaluated.
    /// </summary>
    internal static readonly OutcomeRule Traced = new(
        "traced", "ticket.closed", Condition: e => e.Extensions.ContainsKey("traceparent"), Key: e => (string)e.Fields[0]!,
        DedupWindow: TimeSpan.FromDays(2), Quantity: _ => 1m, Value: null, ValueCurrency: null, Hold: null,
        Dimensions: [new DimensionRule("region", e => e.Extensions.GetValueOrDefault("tenantregion"))], Split: null, Location: Here);

    /// <summary>
    /// Seat changes for a weighted_sum charge (docs/dsl-spec.md §9.12): the units as a signed change, so the −1 that is a
    /// rating error for <see cref="HeldResolved"/> is a removal here, kept in the state like any quantity.
    /// </summary>
    internal static readonly OutcomeRule SeatChanges = new(
        "seat_changes", "ticket.closed", Condition: null, Key: e => (string)e.Fields[0]!, DedupWindow: TimeSpan.FromDays(1),
        Quantity: e => e.Fields[4] is decimal units ? units : 0m, Value: null, ValueCurrency: null, Hold: null, Dimensions: [],
        Split: null, Location: Here)
    { SignedQuantity = true };

    /// <summary>
    /// Resolved tickets never billable once disqualified (docs/dsl-spec.md §7.8): by a reopen of the ticket, and by a
    /// closed event of the same type whose status is "open" (the disqualifying type is also the counted type).
    /// </summary>
    internal static readonly OutcomeRule DisqualifiedByReopen = Resolved with
    {
        Name = "vetted",
        DedupWindow = TimeSpan.FromDays(2),
        Disqualification = new DisqualificationRule("ticket.reopened", e => (string)e.Fields[0]!, Condition: null),
    };

    internal static readonly OutcomeRule DisqualifiedByOpen = Resolved with
    {
        Name = "vetted_open",
        Disqualification = new DisqualificationRule("ticket.closed", e => (string)e.Fields[0]!, e => (string)e.Fields[1]! == "open"),
    };

    internal static readonly CompiledRuleSet Rules = Set([HeldResolved, Touched, Reopens, Traced]);

    /// <summary>The rules with two disqualifications, next to the hold that releases keys.</summary>
    internal static readonly CompiledRuleSet DisqualifyingRules = Set([HeldResolved, Reopens, DisqualifiedByReopen, DisqualifiedByOpen]);

    /// <summary>The rules with <see cref="SeatChanges"/>: negative quantities go through the state too.</summary>
    internal static readonly CompiledRuleSet SignedRules = Set([HeldResolved, Touched, Reopens, Traced, SeatChanges]);

    [Property(MaxTest = 40)]
    public bool Incremental_equals_recomputed_on_the_in_memory_store(int[] raw, int[] cuts, bool[] duplicates)
    {
        using var store = new InMemoryBillingStore();
        return Scenario(raw, cuts, duplicates, () => store, restart: null);
    }

    [Property(MaxTest = 40)]
    public bool Incremental_equals_recomputed_with_signed_quantities_of_a_weighted_sum_outcome(int[] raw, int[] cuts, bool[] duplicates)
    {
        using var store = new InMemoryBillingStore();
        return Scenario(raw, cuts, duplicates, () => store, restart: null, SignedRules);
    }

    [Property(MaxTest = 40)]
    public bool Incremental_equals_recomputed_with_disqualified_keys_on_the_in_memory_store(int[] raw, int[] cuts, bool[] duplicates)
    {
        using var store = new InMemoryBillingStore();
        return Scenario(raw, cuts, duplicates, () => store, restart: null, DisqualifyingRules) && NoDisqualifiedKeyBills(store);
    }

    [Property(MaxTest = 15)]
    public bool Incremental_equals_recomputed_with_disqualified_keys_on_LiteDB_across_restarts(int[] raw, int[] cuts, bool[] duplicates)
    {
        using var directory = new TempDirectory();
        var path = directory.File("billing.db");
        IBillingStore store = new LiteDbBillingStore(path);
        try
        {
            return Scenario(raw, cuts, duplicates, () => store, restart: () =>
            {
                store.Dispose();
                store = new LiteDbBillingStore(path);
            }, DisqualifyingRules) && NoDisqualifiedKeyBills(store);
        }
        finally
        {
            store.Dispose();
        }
    }

    [Property(MaxTest = 8)]
    public bool Incremental_equals_recomputed_with_disqualified_keys_on_PostgreSQL(int[] raw, int[] cuts, bool[] duplicates)
    {
        using var database = new PostgresTestDatabase();
        IBillingStore store = PostgresBillingStore.Open(database.ConnectionString);
        try
        {
            return Scenario(raw, cuts, duplicates, () => store, restart: () =>
            {
                store.Dispose();
                store = PostgresBillingStore.Open(database.ConnectionString);
            }, DisqualifyingRules) && NoDisqualifiedKeyBills(store);
        }
        finally
        {
            store.Dispose();
        }
    }

    /// <summary>
    /// Whatever the order the events came in: a ticket with a reopen (or an "open" close) has no outcome of the
    /// disqualified rule, and every one of its closed events is excluded as disqualified.
    /// </summary>
    private static bool NoDisqualifiedKeyBills(IBillingStore store)
    {
        foreach (var customer in Customers)
        {
            var events = store.ReadEvents(Tenant, customer).ToList();
            var detection = StoredOutcomes.Detect(store, Tenant, customer, DisqualifyingRules);
            foreach (var (rule, disqualifying) in new[] { ("vetted", "ticket.reopened"), ("vetted_open", "ticket.closed") })
            {
                var disqualified = events
                    .Where(e => e.Type == disqualifying && (rule == "vetted" || JsonDocument.Parse(e.DataJson).RootElement.GetProperty("status").GetString() == "open"))
                    .Select(e => JsonDocument.Parse(e.DataJson).RootElement.GetProperty("ticket_id").GetString())
                    .ToHashSet();
                if (detection.Outcomes.Any(o => o.Outcome == rule && disqualified.Contains(o.Key))) return false;
                var closedOfDisqualified = events.Where(e => e.Type == "ticket.closed"
                    && JsonDocument.Parse(e.DataJson).RootElement.GetProperty("status").GetString() == "closed"
                    && disqualified.Contains(JsonDocument.Parse(e.DataJson).RootElement.GetProperty("ticket_id").GetString()));
                if (!closedOfDisqualified.All(e => detection.Excluded.Any(x =>
                        x.Outcome == rule && x.EventId == $"{e.Source}/{e.Id}" && x.Reason == ExclusionReasons.Disqualified))) return false;
            }
        }
        return true;
    }

    [Property(MaxTest = 25)]
    public bool Incremental_equals_recomputed_on_LiteDB_across_restarts(int[] raw, int[] cuts, bool[] duplicates)
    {
        using var directory = new TempDirectory();
        var path = directory.File("billing.db");
        IBillingStore store = new LiteDbBillingStore(path);
        try
        {
            return Scenario(raw, cuts, duplicates, () => store, restart: () =>
            {
                store.Dispose();
                store = new LiteDbBillingStore(path);
            });
        }
        finally
        {
            store.Dispose();
        }
    }

    [Property(MaxTest = 12)]
    public bool Incremental_equals_recomputed_on_PostgreSQL_across_new_instances(int[] raw, int[] cuts, bool[] duplicates)
    {
        using var database = new PostgresTestDatabase();
        IBillingStore store = PostgresBillingStore.Open(database.ConnectionString);
        try
        {
            return Scenario(raw, cuts, duplicates, () => store, restart: () =>
            {
                store.Dispose();
                store = PostgresBillingStore.Open(database.ConnectionString);
            });
        }
        finally
        {
            store.Dispose();
        }
    }

    /// <summary>
    /// Sends the decoded events in the generated order, split into batches at <paramref name="cuts"/>, re-sending an
    /// earlier event where <paramref name="duplicates"/> says so and restarting the store at some batch boundaries;
    /// checks every customer's stored detection against full detection halfway and at the end.
    /// </summary>
    private static bool Scenario(int[] raw, int[] cuts, bool[] duplicates, Func<IBillingStore> current, Action? restart, CompiledRuleSet? rules = null)
    {
        rules ??= Rules;
        var events = raw.Select(Decode).ToList();
        var sent = new List<string>();
        var position = 0;
        var batch = 0;
        var halfway = false;
        while (position < events.Count)
        {
            var size = 1 + (int)((uint)(cuts.Length == 0 ? 7 : cuts[batch % cuts.Length]) % 5);
            var body = events.Skip(position).Take(size).ToList();
            position += body.Count;
            if (batch < duplicates.Length && duplicates[batch] && sent.Count > 0) body.Add(sent[batch * 7 % sent.Count]);
            if (body.Count > 1 && batch % 4 == 3) body.Add(body[0]);
            sent.AddRange(body);

            var result = new EventIngestor(current(), new TestClock(Start)).Ingest(Tenant, CloudEvents.Batch([.. body]), rules);
            if (result.Error is not null || result.Events.Any(r => r.Status == EventStatus.Rejected)) return false;

            if (restart is not null && (uint)(cuts.Length == 0 ? 0 : cuts[batch % cuts.Length]) % 3 == 0) restart();
            if (!halfway && position * 2 >= events.Count)
            {
                halfway = true;
                if (!Agrees(current(), rules)) return false;
            }
            batch++;
        }
        return Agrees(current(), rules);
    }

    internal static bool Agrees(IBillingStore store, CompiledRuleSet? rules = null)
    {
        var set = rules ?? Rules;
        return Customers.All(c => Json(Oracle(store, c, set)) == Json(StoredOutcomes.Detect(store, Tenant, c, set)));
    }

    internal static OutcomeDetection Oracle(IBillingStore store, string customer, CompiledRuleSet? rules = null) =>
        OutcomeDetector.Detect(rules ?? Rules, EventBinding.Bind(rules ?? Rules, store.ReadEvents(Tenant, customer)), DateTimeOffset.MaxValue);

    internal static string Json(OutcomeDetection detection) => JsonSerializer.Serialize(detection);

    /// <summary>
    /// One event from one integer: customer, type (closed twice as likely as reopened), ticket, status, hour within
    /// about 16 days, units (−1 makes a rating error) and agent. The id derives from the integer too, so equal
    /// integers are the same event sent twice.
    /// </summary>
    private static string Decode(int value)
    {
        // Spread the small integers FsCheck favours over every attribute.
        var x = unchecked((uint)value * 2654435761u);
        var customer = Customers[x % 3];
        var reopen = x / 3 % 3 == 2;
        var ticket = $"T-{x / 9 % 3}";
        var time = Start.AddHours(x / 27 % 400).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var source = x / 10800 % 2 == 0 ? "agent-a" : "agent-b";
        var id = $"e{value}";
        var data = new Dictionary<string, object?> { ["ticket_id"] = ticket };
        if (!reopen)
        {
            data["status"] = x / 21600 % 4 == 0 ? "open" : "closed";
            if (x / 86400 % 3 != 0) data["units"] = (decimal)(x / 259200 % 5) - 1m;
            if (x / 4 % 2 == 0) data["amount"] = 2.50m;
            data["team"] = x / 8 % 2 == 0 ? "blue" : "red";
            if (x / 16 % 2 == 0) data["agent"] = "ann";
        }
        var envelope = new Dictionary<string, object?>
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = source,
            ["type"] = reopen ? Reopened.Name : Closed.Name,
            ["subject"] = customer,
            ["time"] = time,
            ["data"] = data,
        };
        if (x / 32 % 2 == 0) envelope["traceparent"] = $"00-{x:x32}-{x % 65536:x16}-01";
        if (x / 64 % 3 != 0) envelope["tenantregion"] = x / 64 % 3 == 1 ? "eu" : "us";
        return JsonSerializer.Serialize(envelope);
    }
}
