using System.Globalization;
using System.Text;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Benchmarks.Workload;

/// <summary>
/// The one rule set every benchmark uses: an agent task is a billable outcome when it closed, the customer was
/// satisfied (no survey counts as satisfied) and it was not escalated; its value is a graduated price of its
/// tokens with a minimum, which the rule-evaluation benchmark re-implements by hand, as a Roslyn script and for
/// RulesEngine. Three contracts split the customers: two name a third of them each, the rest fall to the default.
/// </summary>
internal static class BenchRules
{
    public const string EventType = "agent.task.completed";
    public const string Tenant = "bench";

    /// <summary>The outcome condition, as written in the DSL.</summary>
    public const string Condition = "status == \"closed\" and csat ?? 5 >= 4 and escalated == false";

    /// <summary>Graduated token price (0.002 up to 1,000; 0.0015 up to 10,000; 0.001 above) with a 0.05 minimum.</summary>
    public const string Value =
        "max(min(tokens, 1000) * 0.002 USD + max(min(tokens, 10000) - 1000, 0) * 0.0015 USD + max(tokens - 10000, 0) * 0.001 USD, 0.05 USD)";

    public static string CustomerId(int index) => "cust-" + index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The rule file text for <paramref name="customers"/> customers.</summary>
    public static string Text(int customers)
    {
        var third = customers / 3;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            event {{EventType}} {
              task_id: string
              status: string
              csat: integer?
              escalated: bool
              tokens: decimal
            }

            outcome completed_task from {{EventType}} {
              when {{Condition}}
              key task_id
              quantity tokens
              value {{Value}}
            }

            pricing standard {
              base 49 USD
              charge completed_task {
                free 1000
                graduated { up to 100000 at 0.002 USD; up to 1000000 at 0.0015 USD; rest at 0.001 USD }
              }
            }

            pricing growth {
              base 199 USD
              charge completed_task {
                volume { up to 500000 at 0.0018 USD; rest at 0.0012 USD }
              }
              minimum 250 USD
            }

            pricing enterprise {
              charge completed_task {
                unit 0.001 USD
                cap 5000 USD
              }
            }

            contract standard_plan version 1 effective 2026-01-01 {
              customers default
              pricing standard
              currency USD
              period monthly
            }

            """);
        text.Append("contract growth_plan version 1 effective 2026-01-01 {\n  customers ");
        text.AppendJoin(", ", Enumerable.Range(0, third).Select(i => "\"" + CustomerId(i) + "\""));
        text.Append("\n  pricing growth\n  currency USD\n  period monthly\n}\n\n");
        text.Append("contract enterprise_plan version 1 effective 2026-01-01 {\n  customers ");
        text.AppendJoin(", ", Enumerable.Range(third, third).Select(i => "\"" + CustomerId(i) + "\""));
        text.Append("\n  pricing enterprise\n  currency USD\n  period monthly\n}\n");
        return text.ToString();
    }

    public static CompiledRuleSet Compile(int customers)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("bench.rules", Text(customers))]);
        return compilation.RuleSet ?? throw new InvalidOperationException("the benchmark rules do not check:\n" + compilation.Render());
    }

    /// <summary>Writes the rule file into <paramref name="folder"/> and returns its path.</summary>
    public static string Write(string folder, int customers)
    {
        var path = Path.Combine(folder, "bench.rules");
        File.WriteAllText(path, Text(customers));
        return path;
    }
}
