using System.Globalization;
using System.Text;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Host.Tests.Reliability;

/// <summary>
/// The rule file the reliability suite serves, compiled by the real compiler: a task is an outcome keyed by its id,
/// its quantity is its token count, priced graduated under one monthly default contract from 2026-01-01.
/// Events are generated in January 2026, a period that has ended, so it can be finalized.
/// </summary>
internal static class ReliabilityRules
{
    public const string Text = """
        event task.done {
          task_id: string
          tokens: decimal
        }

        outcome task from task.done {
          key task_id
          quantity tokens
        }

        pricing metered {
          base 10 USD
          charge task {
            free 100
            graduated { up to 5000 at 0.01 USD; rest at 0.004 USD }
          }
        }

        contract metered_plan version 1 effective 2026-01-01 {
          customers default
          pricing metered
          currency USD
          period monthly
        }
        """;

    public static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static CompiledRuleSet Compile() =>
        RuleSetCompiler.Compile([new SourceText("rules.rules", Text)]).RuleSet ?? throw new InvalidOperationException("reliability rules do not check");

    public static string Customer(int i) => "cust-" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>One CloudEvent of <c>task.done</c>.</summary>
    public static string Event(string id, string customer, int minute, decimal tokens) =>
        "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"//reliability\",\"type\":\"task.done\",\"subject\":\"" + customer +
        "\",\"time\":\"" + January.AddMinutes(minute).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) +
        "\",\"data\":{\"task_id\":\"" + id + "\",\"tokens\":" + tokens.ToString(CultureInfo.InvariantCulture) + "}}";

    public static string Batch(IEnumerable<string> events)
    {
        var text = new StringBuilder("[");
        text.AppendJoin(',', events);
        return text.Append(']').ToString();
    }
}
