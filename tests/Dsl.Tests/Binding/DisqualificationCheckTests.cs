using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Binding;

/// <summary><c>disqualified by E on KEY [where COND]</c> (docs/dsl-spec.md §7.8): parsing, printing and the checker's messages.</summary>
public sealed class DisqualificationCheckTests
{
    private static string Check(string outcome) => RuleSetCompiler.Compile([new SourceText("d.rules", $$"""
        event lead.qualified {
          lead_id: string
          seq: integer
        }

        event email.bounced {
          lead_id: string
          kind: string
        }

        {{outcome}}
        """)]).Render();

    [Fact]
    public void A_disqualification_compiles_to_the_rule()
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("d.rules", """
            event lead.qualified {
              lead_id: string
            }

            event email.bounced {
              lead_id: string
              kind: string
            }

            outcome lead from lead.qualified {
              key lead_id
              disqualified by email.bounced on lead_id where kind == "hard"
            }
            """)]);
        Assert.Equal("", compilation.Render());
        var rule = Assert.Single(compilation.RuleSet!.Outcomes).Disqualification!;
        Assert.Equal("email.bounced", rule.EventType);
        var hard = new Model.RuleEvent("b1", "esp", "email.bounced", "acme", DateTimeOffset.UnixEpoch, ["L-1", "hard"]);
        var soft = new Model.RuleEvent("b2", "esp", "email.bounced", "acme", DateTimeOffset.UnixEpoch, ["L-1", "soft"]);
        Assert.Equal("L-1", rule.DisqualifiedKey(hard));
        Assert.True(rule.Condition!(hard));
        Assert.False(rule.Condition!(soft));
    }

    [Fact]
    public void Without_a_key_it_is_RB0212()
    {
        Assert.StartsWith(
            "d.rules:12:3: error RB0212: outcome 'lead' has 'disqualified by' but no 'key'; a disqualification is matched by key, so add e.g. 'key lead_id'\n" +
            "    disqualified by email.bounced on lead_id\n",
            Check("outcome lead from lead.qualified {\n  disqualified by email.bounced on lead_id\n}"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_of_another_type_is_RB0201()
    {
        Assert.StartsWith(
            "d.rules:13:36: error RB0201: the disqualified key of outcome 'lead' is string but the outcome key is integer; both must be strings or both numbers\n",
            Check("outcome lead from lead.qualified {\n  key seq\n  disqualified by email.bounced on lead_id\n}"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_condition_that_is_not_bool_is_RB0201()
    {
        Assert.StartsWith(
            "d.rules:13:50: error RB0201: the condition after 'where' must be bool, but this expression is string\n",
            Check("outcome lead from lead.qualified {\n  key lead_id\n  disqualified by email.bounced on lead_id where kind\n}"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_field_of_the_disqualifying_event_is_RB0102()
    {
        Assert.StartsWith(
            "d.rules:13:36: error RB0102: event 'email.bounced' has no field 'seq'",
            Check("outcome lead from lead.qualified {\n  key lead_id\n  disqualified by email.bounced on seq\n}"), StringComparison.Ordinal);
    }

    [Fact]
    public void Disqualified_stays_a_plain_name_elsewhere_and_prints_back()
    {
        var text = "event a.b {\n  disqualified: bool\n}\n\noutcome o from a.b {\n  when disqualified\n  key \"k\"\n  disqualified by a.b on \"k\" where disqualified\n}\n";
        var parsed = RuleParser.Parse(new SourceText("p.rules", text));
        Assert.Empty(parsed.Diagnostics);
        Assert.Equal(text, RulePrinter.Print(parsed.File));
    }
}
