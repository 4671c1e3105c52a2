using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Benchmarks.Workload;

/// <summary>
/// The benchmark rule written as the project's C# script rules (docs/dsl-spec.md §16): the outcome predicate as a
/// <c>when script</c>, the graduated token price as a <c>value script</c>, and the standard plan's graduated charge
/// as a <c>charge … { script … }</c> rating function. Compiled by <see cref="RuleSetCompiler"/> with scripts allowed,
/// so the delegates are the compiled model's own, with the allowlist, budget and error mapping of real script rules.
/// </summary>
internal static class BenchScriptRules
{
    public const string Condition = """ e.status == "closed" && (e.csat ?? 5m) >= 4m && !e.escalated """;

    public const string Value =
        " Math.Max(Math.Min(e.tokens, 1000m) * 0.002m + Math.Max(Math.Min(e.tokens, 10000m) - 1000m, 0m) * 0.0015m + Math.Max(e.tokens - 10000m, 0m) * 0.001m, 0.05m) ";

    /// <summary>The standard plan's graduated tiers over the billed (after free units) quantity.</summary>
    public const string Rating =
        " Math.Min(charge.BilledQuantity, 100000m) * 0.002m + Math.Max(Math.Min(charge.BilledQuantity, 1000000m) - 100000m, 0m) * 0.0015m + Math.Max(charge.BilledQuantity - 1000000m, 0m) * 0.001m ";

    /// <summary>
    /// The rule file. <paramref name="salt"/> goes into a comment inside every script: a new salt changes the scripts'
    /// content hash, so the compiler's script cache cannot serve them (a "warm, new script" compile).
    /// </summary>
    public static string Text(string salt = "") => $$""""
        event {{BenchRules.EventType}} {
          task_id: string
          status: string
          csat: integer?
          escalated: bool
          tokens: decimal
        }

        outcome completed_task from {{BenchRules.EventType}} {
          when script """{{Condition}}/*{{salt}}*/ """
          key task_id
          quantity tokens
          value script """{{Value}}/*{{salt}}*/ """ returns money USD
        }

        pricing standard {
          base 49 USD
          charge completed_task {
            free 1000
            script """{{Rating}}/*{{salt}}*/ """
          }
        }

        contract standard_plan version 1 effective 2026-01-01 {
          customers default
          pricing standard
          currency USD
          period monthly
        }
        """";

    public static RuleSetCompilation Compile(string salt = "") =>
        RuleSetCompiler.Compile([new SourceText("bench-script.rules", Text(salt))], new CompileOptions { AllowScripts = true });

    public static CompiledRuleSet CompileOrThrow(string salt = "")
    {
        var compilation = Compile(salt);
        return compilation.RuleSet ?? throw new InvalidOperationException("the benchmark script rules do not check:\n" + compilation.Render());
    }
}
