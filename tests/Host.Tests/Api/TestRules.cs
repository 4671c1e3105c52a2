using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Host.Tests.Api;

/// <summary>Rule files the API tests load, as text: they go through the real compiler at start-up and through real uploads.</summary>
internal static class TestRules
{
    /// <summary>A resolved ticket, keyed by ticket_id, at 2 USD under the monthly default contract <c>standard</c>.</summary>
    public const string Support = """
        event ticket.resolved {
          ticket_id: string
        }

        outcome resolved from ticket.resolved {
          key ticket_id
        }

        pricing support {
          charge resolved { unit 2 USD }
        }

        contract standard version 1 effective 2026-01-01 {
          customers default
          pricing support
          currency USD
          period monthly
        }
        """;

    /// <summary>Like <see cref="Support"/> at 3 USD: a second version that is visibly different.</summary>
    public static readonly string SupportAtThree = Support.Replace("unit 2 USD", "unit 3 USD", StringComparison.Ordinal);

    /// <summary>Support with a 72h validation window: a <c>ticket.reopened</c> for the ticket inside it reverses the outcome.</summary>
    public const string WithHold = """
        event ticket.resolved {
          ticket_id: string
        }

        event ticket.reopened {
          ticket: string
        }

        outcome resolved from ticket.resolved {
          key ticket_id
          hold 72h reversed by ticket.reopened on ticket
        }

        pricing support {
          charge resolved { unit 2 USD }
        }

        contract standard version 1 effective 2026-01-01 {
          customers default
          pricing support
          currency USD
          period monthly
        }
        """;

    /// <summary>Support whose guard holds any invoice with more than 3 USD of revenue.</summary>
    public static readonly string WithHoldingGuard = Support.Replace(
        "charge resolved { unit 2 USD }", "charge resolved { unit 2 USD }\n  guard big_spend: revenue() > 3 USD then hold", StringComparison.Ordinal);

    /// <summary>Support plus a <c>gold</c> contract (1 USD per ticket, base 10 USD) bound in the rules only to "vip".</summary>
    public static readonly string WithGold = Support + """

        pricing gold_plan {
          base 10 USD
          charge resolved { unit 1 USD }
        }

        contract gold version 1 effective 2026-01-01 {
          customers "vip"
          pricing gold_plan
          currency USD
          period monthly
        }
        """;

    /// <summary>
    /// For usage: <c>resolved</c> (not for "X-" tickets, keyed, 72h hold reversed by <c>ticket.reopened</c>), LLM cost
    /// attributed to it, and <c>llm_call</c>, an outcome without key (keyed "source/id").
    /// </summary>
    public const string ForUsage = """
        event ticket.resolved {
          ticket_id: string
        }

        event ticket.reopened {
          ticket: string
        }

        event llm.usage {
          ticket_id: string
          tokens: integer
        }

        outcome resolved from ticket.resolved {
          when not startsWith(ticket_id, "X-")
          key ticket_id
          hold 72h reversed by ticket.reopened on ticket
        }

        outcome llm_call from llm.usage {
          quantity tokens / 1000
        }

        cost llm from llm.usage {
          amount tokens * 0.000002 USD
          for resolved on ticket_id
        }

        pricing support {
          charge resolved { unit 2 USD }
          charge llm_call { unit 0.01 USD }
        }

        contract standard version 1 effective 2026-01-01 {
          customers default
          pricing support
          currency USD
          period monthly
        }
        """;

    /// <summary>An outcome reading an event type nobody declared: refused with RB0101.</summary>
    public const string Invalid = "outcome broken from nowhere {}\n";

    /// <summary>Support priced by a C# script alone (2 USD per ticket): no price list, the contract names the currency.</summary>
    public static readonly string ScriptPriced = Support.Replace(
        "charge resolved { unit 2 USD }", "charge resolved { script \"\"\" 2m * charge.BilledQuantity \"\"\" }", StringComparison.Ordinal);

    public static CompiledRuleSet Compile(string text, CompileOptions? options = null)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("pricing.rules", text)], options ?? CompileOptions.Default);
        Assert.True(compilation.Success, compilation.Render());
        return compilation.RuleSet!;
    }

    /// <summary>The JSON body of <c>POST /v1/rulesets</c> with one file.</summary>
    public static object Upload(string text, string? comment = null) => new { files = new[] { new { path = "pricing.rules", text } }, comment };
}
