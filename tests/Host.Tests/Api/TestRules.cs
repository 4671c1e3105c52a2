using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Host.Api.Features.RuleSets;

namespace RulesBilling.Host.Tests.Api;

/// <summary>
/// A tiny compiled rule set built directly on the model: <c>ticket.resolved { ticket_id: string }</c>, outcome
/// <c>resolved</c> keyed by ticket_id, priced at 2 USD per unit under a monthly default contract from 2026-01-01.
/// </summary>
internal static class TestRules
{
    public const string Valid = "// valid rules\n";
    public const string Invalid = "outcome broken from nowhere {}\n";

    public static CompiledRuleSet Resolved(string hash = "hash-v1", decimal unitPrice = 2m)
    {
        var location = new SourceLocation("pricing.rules", 1, 1);
        var schema = new EventSchema("ticket.resolved", [new FieldSchema("ticket_id", FieldType.String, false, 0, null)]);
        var outcome = new OutcomeRule("resolved", "ticket.resolved", null, e => (string)e.Fields[0]!, null, _ => 1m, null, null, null, [], null, location);
        var pricing = new PricingPlan("support", null,
            [new ChargeRule("resolved", null, null, new UnitModel(PriceList.Single("USD", unitPrice)), 0m, null, location)],
            null, null, [], ["USD"]);
        var contract = new ContractVersion("standard", 1, new DateOnly(2026, 1, 1), null, true, [], "support", "USD",
            new MonthlyPeriod(1), "file-hash", "pricing.rules");
        return new CompiledRuleSet(
            new Dictionary<string, EventSchema> { ["ticket.resolved"] = schema },
            [outcome], [], new Dictionary<string, PricingPlan> { ["support"] = pricing }, [contract], hash);
    }

    /// <summary>Stands in for the compiler: files containing <see cref="Invalid"/> fail with RB0101, others compile to <see cref="Resolved"/>.</summary>
    public static RuleSetCheck Check(IReadOnlyList<SourceText> files)
    {
        var bad = files.FirstOrDefault(f => f.Text.Contains("from nowhere", StringComparison.Ordinal));
        if (bad is null) return new RuleSetCheck(Resolved("hash-" + files.Sum(f => f.Text.Length)), []);
        var start = bad.Text.IndexOf("nowhere", StringComparison.Ordinal);
        return new RuleSetCheck(null, [new Diagnostic(bad, new TextSpan(start, start + 7), DiagnosticSeverity.Error, "RB0101", "unknown event type 'nowhere'")]);
    }
}
