using System.Globalization;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using UseCases = RulesBilling.Engine.Tests.Billing.UseCases;
using RulesBilling.Engine.Tests.Ingestion;

namespace RulesBilling.Engine.Tests.Periods;

/// <summary>Compiles rule text and bills CloudEvents through the real pipeline (ingestion, outcomes, periods, invoices).</summary>
internal static class PeriodRules
{
    public const string Tasks = """
        event task.done {
          task_id: string
          units: integer
        }

        outcome task from task.done {
          key task_id
          quantity units
        }

        """;

    public static CompiledRuleSet Compile(string text)
    {
        var compiled = RuleSetCompiler.Compile([new SourceText("periods.rules", text)]);
        Assert.True(compiled.Success, compiled.Render());
        return compiled.RuleSet!;
    }

    public static string Task(string id, string customer, string time, int units = 1) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"agent","type":"task.done","subject":"{{{customer}}}","time":"{{{time}}}","data":{"task_id":"{{{id}}}","units":{{{units.ToString(CultureInfo.InvariantCulture)}}}}}""";
    public static IReadOnlyList<Invoice> Bill(CompiledRuleSet rules, params string[] events)
    {
        var result = UseCases.Simulate(rules, new StringReader(string.Join("\n", events)),
            new TestClock(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Empty(result.Errors);
        Assert.Empty(result.Rejected);
        return result.Invoices;
    }

    public static Invoice BillOne(CompiledRuleSet rules, params string[] events) => Assert.Single(Bill(rules, events));
}
