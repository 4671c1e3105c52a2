using System.Globalization;
using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Tests.Outcomes;

/// <summary>A hand-built rule set (no parser): support tickets closed by agents, reopen reversals, LLM costs.</summary>
internal static class TicketRules
{
    public static readonly SourceLocation Here = new("tickets.rules", 1, 1);

    // ticket.closed { ticket_id: string, status: string, agent: string?, amount: money USD?, units: decimal?, team: string? }
    public static readonly EventSchema Closed = new("ticket.closed",
    [
        new FieldSchema("ticket_id", FieldType.String, false, 0, null),
        new FieldSchema("status", FieldType.String, false, 1, null),
        new FieldSchema("agent", FieldType.String, true, 2, null),
        new FieldSchema("amount", FieldType.Money, true, 3, "USD"),
        new FieldSchema("units", FieldType.Decimal, true, 4, null),
        new FieldSchema("team", FieldType.String, true, 5, null),
    ]);

    public static readonly EventSchema Reopened = new("ticket.reopened", [new FieldSchema("ticket_id", FieldType.String, false, 0, null)]);

    // llm.call { ticket_id: string, cost: money USD }
    public static readonly EventSchema LlmCall = new("llm.call",
    [
        new FieldSchema("ticket_id", FieldType.String, false, 0, null),
        new FieldSchema("cost", FieldType.Money, false, 1, "USD"),
    ]);

    /// <summary><c>outcome resolved from ticket.closed { when status == "closed"; key ticket_id }</c>.</summary>
    public static readonly OutcomeRule Resolved = new(
        "resolved", "ticket.closed",
        Condition: e => (string)e.Fields[1]! == "closed",
        Key: e => (string)e.Fields[0]!,
        DedupWindow: null,
        Quantity: _ => 1m,
        Value: null, ValueCurrency: null, Hold: null, Dimensions: [], Split: null, Location: Here);

    /// <summary><c>hold 7d reversed by ticket.reopened on ticket_id</c>.</summary>
    public static readonly HoldRule Hold7d = new(TimeSpan.FromDays(7), "ticket.reopened", e => (string)e.Fields[0]!);

    public static CompiledRuleSet Set(
        IReadOnlyList<OutcomeRule>? outcomes = null,
        IReadOnlyList<CostRule>? costs = null,
        IReadOnlyList<PricingPlan>? pricings = null,
        IReadOnlyList<ContractVersion>? contracts = null) => new(
        new Dictionary<string, EventSchema> { [Closed.Name] = Closed, [Reopened.Name] = Reopened, [LlmCall.Name] = LlmCall },
        outcomes ?? [Resolved],
        costs ?? [],
        (pricings ?? []).ToDictionary(p => p.Name),
        contracts ?? [],
        "hash-test");

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static StoredEvent ClosedEvent(string id, string customer, string time, string ticket, string status = "closed",
        string source = "agent-a", string? agent = null, decimal? amount = null, decimal? units = null, string? team = null, string tenant = "t1")
    {
        var data = new Dictionary<string, object?> { ["ticket_id"] = ticket, ["status"] = status };
        if (agent is not null) data["agent"] = agent;
        if (amount is not null) data["amount"] = amount;
        if (units is not null) data["units"] = units;
        if (team is not null) data["team"] = team;
        return Stored(tenant, source, id, Closed.Name, customer, time, data);
    }

    public static StoredEvent ReopenedEvent(string id, string customer, string time, string ticket, string source = "agent-a", string tenant = "t1") =>
        Stored(tenant, source, id, Reopened.Name, customer, time, new Dictionary<string, object?> { ["ticket_id"] = ticket });

    public static StoredEvent LlmEvent(string id, string customer, string time, string ticket, decimal cost, string source = "agent-a", string tenant = "t1") =>
        Stored(tenant, source, id, LlmCall.Name, customer, time, new Dictionary<string, object?> { ["ticket_id"] = ticket, ["cost"] = cost });

    public static StoredEvent Stored(string tenant, string source, string id, string type, string customer, string time, IReadOnlyDictionary<string, object?> data) =>
        new(tenant, source, id, type, customer, At(time), At(time), 0, JsonSerializer.Serialize(data));
}
