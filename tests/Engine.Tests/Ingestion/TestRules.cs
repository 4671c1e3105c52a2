using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine.Tests.Ingestion;

/// <summary>Rule sets built from the model records directly, independent of the DSL parser.</summary>
internal static class TestRules
{
    /// <summary>call.completed { minutes: decimal; agent: string; cost: money(USD)? }</summary>
    public static readonly EventSchema CallCompleted = new("call.completed",
    [
        new FieldSchema("minutes", FieldType.Decimal, false, 0, null),
        new FieldSchema("agent", FieldType.String, false, 1, null),
        new FieldSchema("cost", FieldType.Money, true, 2, "USD"),
    ]);

    /// <summary>ticket.resolved { ticket: string }</summary>
    public static readonly EventSchema TicketResolved = new("ticket.resolved",
    [
        new FieldSchema("ticket", FieldType.String, false, 0, null),
    ]);

    public static CompiledRuleSet With(params EventSchema[] schemas) => new(
        schemas.ToDictionary(s => s.Name, StringComparer.Ordinal),
        [],
        [],
        new Dictionary<string, PricingPlan>(),
        [],
        "test-hash");

    public static readonly CompiledRuleSet Calls = With(CallCompleted);

    public static readonly CompiledRuleSet CallsAndTickets = With(CallCompleted, TicketResolved);
}
