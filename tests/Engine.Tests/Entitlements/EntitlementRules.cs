using System.Text.Json;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Engine.Tests.Entitlements;

/// <summary>A rule set with every feature kind, a held outcome, and a contract whose version 2 changes the grants on 2026-03-01.</summary>
internal static class EntitlementRules
{
    public const string Text = """
        event ticket.resolved {
          ticket_id: string
          units: integer
        }
        event ticket.reopened {
          ticket_id: string
        }
        event api.call {
          path: string
        }
        outcome resolved from ticket.resolved {
          key ticket_id
          quantity units
        }
        outcome verified from ticket.resolved {
          key ticket_id
          hold 2d reversed by ticket.reopened on ticket_id
        }
        pricing support {
          base 10 USD
          charge resolved { unit 2 USD }
          charge verified { unit 5 USD }
        }
        feature resolutions metered outcome resolved
        feature verifications metered outcome verified
        feature api_calls metered event api.call
        feature premium bool
        feature max_agents integer
        feature model_tier string
        contract standard version 1 effective 2026-01-01 {
          customers default
          pricing support
          features {
            resolutions limit 3 hard
            verifications limit 2 soft
            api_calls limit 2 hard reset "P1D"
            premium
            max_agents: 5
            model_tier: "basic"
          }
        }
        contract standard version 2 effective 2026-03-01 {
          customers default
          pricing support
          features {
            resolutions limit 10 soft reset monthly
            api_calls
            premium: false
            max_agents: 8
          }
        }
        """;

    public static CompiledRuleSet Compile()
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("entitlements.rules", Text)]);
        Assert.True(compilation.Success, compilation.Render());
        return compilation.RuleSet!;
    }

    public static string Resolved(string id, string customer, string time, string ticket, int units = 1) =>
        Event(id, "ticket.resolved", customer, time, new Dictionary<string, object> { ["ticket_id"] = ticket, ["units"] = units });

    public static string Reopened(string id, string customer, string time, string ticket) =>
        Event(id, "ticket.reopened", customer, time, new Dictionary<string, object> { ["ticket_id"] = ticket });

    public static string Call(string id, string customer, string time) =>
        Event(id, "api.call", customer, time, new Dictionary<string, object> { ["path"] = "/v1/x" });

    private static string Event(string id, string type, string customer, string time, Dictionary<string, object> data) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = "agent://test",
            ["type"] = type,
            ["subject"] = customer,
            ["time"] = time,
            ["data"] = data,
        });
}
