using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Entitlements;

/// <summary>Feature declarations and contract grants: parse, print, check and compile.</summary>
public class FeatureLanguageTests
{
    private const string Base = """
        event ticket.resolved {
          ticket_id: string
          limit: integer
        }
        event api.call {
          path: string
        }
        outcome resolved from ticket.resolved {
          key ticket_id
        }
        pricing support {
          charge resolved { unit 2 USD }
        }

        """;

    private const string Features = """
        feature resolutions metered outcome resolved
        feature api_calls metered event api.call
        feature premium bool
        feature sso bool
        feature max_agents integer
        feature temperature decimal
        feature model_tier string

        """;

    private const string Contract = """
        contract standard version 1 effective 2026-01-01 {
          customers default
          pricing support
          features {
            resolutions limit 100 hard
            api_calls limit 1_000 soft reset "P1D"
            premium
            sso: false
            max_agents: 5
            temperature: 0.7
            model_tier: "pro"
          }
        }
        contract standard version 2 effective 2026-03-01 {
          customers default
          pricing support
          features {
            resolutions limit 250 soft reset monthly
            api_calls
            max_agents: 10
          }
        }
        """;

    private static RuleSetCompilation Compile(string text) => RuleSetCompiler.Compile([new SourceText("f.rules", text)]);

    private static string Codes(string rules)
    {
        var compilation = Compile(Base + rules);
        return string.Join(" ", compilation.Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void Features_and_grants_compile_to_the_model()
    {
        var compilation = Compile(Base + Features + Contract);
        Assert.True(compilation.Success, compilation.Render());
        var rules = compilation.RuleSet!;

        Assert.Equal(["api_calls", "max_agents", "model_tier", "premium", "resolutions", "sso", "temperature"], rules.Features.Keys);
        Assert.Equal(new FeatureRule("resolutions", FeatureKind.Metered, "resolved", null, rules.Features["resolutions"].Location), rules.Features["resolutions"]);
        Assert.Equal("api.call", rules.Features["api_calls"].EventType);
        Assert.Equal(FeatureKind.Decimal, rules.Features["temperature"].Kind);

        var v1 = rules.GrantsOf(rules.Contracts.Single(c => c.Version == 1));
        Assert.Equal(
            [
                new FeatureGrant("resolutions", true, null, null, new FeatureLimit(100m, true, null)),
                new FeatureGrant("api_calls", true, null, null, new FeatureLimit(1000m, false, new IsoPeriod("P1D", 0, 0, 1))),
                new FeatureGrant("premium", true, null, null, null),
                new FeatureGrant("sso", false, null, null, null),
                new FeatureGrant("max_agents", true, 5m, null, null),
                new FeatureGrant("temperature", true, 0.7m, null, null),
                new FeatureGrant("model_tier", true, null, "pro", null),
            ],
            v1);
        var v2 = rules.GrantsOf(rules.Contracts.Single(c => c.Version == 2));
        Assert.Equal(new FeatureLimit(250m, false, new MonthlyPeriod(1)), v2[0].Limit);
        Assert.Null(v2[1].Limit);
        Assert.Equal(3, v2.Count);
    }

    [Fact]
    public void A_file_without_features_has_none()
    {
        var compilation = Compile(Base + "contract c version 1 effective 2026-01-01 { customers default pricing support }");
        Assert.True(compilation.Success, compilation.Render());
        Assert.Empty(compilation.RuleSet!.Features);
        Assert.Empty(compilation.RuleSet.GrantsOf(compilation.RuleSet.Contracts[0]));
    }

    [Fact]
    public void Printing_is_canonical_and_parses_back_to_the_same_text_and_model()
    {
        var source = Base + Features + Contract;
        var printed = RulePrinter.Print(RuleParser.Parse(new SourceText("a.rules", source)).File);
        var reparsed = RuleParser.Parse(new SourceText("b.rules", printed));
        Assert.Empty(reparsed.Diagnostics);
        Assert.Equal(printed, RulePrinter.Print(reparsed.File));
        Assert.Contains("feature api_calls metered event api.call\n", printed);
        Assert.Contains("    api_calls limit 1000 soft reset \"P1D\"\n", printed);
        Assert.Contains("    resolutions limit 250 soft reset monthly\n", printed);
        Assert.Contains("    model_tier: \"pro\"\n", printed);

        var original = Compile(source).RuleSet!;
        var roundTripped = Compile(printed).RuleSet!;
        Assert.Equal(original.FeatureGrants.SelectMany(g => g.Grants), roundTripped.FeatureGrants.SelectMany(g => g.Grants));
        Assert.Equal(original.Features.Values.Select(f => (f.Name, f.Kind, f.Outcome, f.EventType)),
            roundTripped.Features.Values.Select(f => (f.Name, f.Kind, f.Outcome, f.EventType)));
    }

    [Fact]
    public void Contextual_words_stay_usable_as_names()
    {
        // `limit` is a field of ticket.resolved in Base; `feature`/`reset` are ordinary outcome names elsewhere.
        var compilation = Compile(Base + "outcome feature from ticket.resolved { quantity limit }\noutcome reset from api.call { }\n");
        Assert.True(compilation.Success, compilation.Render());
    }

    [Theory]
    [InlineData("feature f metered outcome nope", "RB0104")]
    [InlineData("feature f metered event nope.event", "RB0101")]
    [InlineData("feature f bool\nfeature f integer", "RB0103")]
    [InlineData("contract c version 1 effective 2026-01-01 { customers default pricing support features { ghost } }", "RB0601")]
    [InlineData("feature n integer\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { n: \"five\" } }", "RB0602")]
    [InlineData("feature n integer\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { n: 2.5 } }", "RB0602")]
    [InlineData("feature n integer\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { n } }", "RB0602")]
    [InlineData("feature b bool\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { b: 1 } }", "RB0602")]
    [InlineData("feature b bool\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { b limit 3 hard } }", "RB0602")]
    [InlineData("feature m metered outcome resolved\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { m: 3 } }", "RB0602")]
    [InlineData("feature s string\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { s: true } }", "RB0602")]
    [InlineData("feature b bool\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { b b: false } }", "RB0603")]
    [InlineData("feature m metered outcome resolved\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { m limit 5 hard reset \"P0D\" } }", "RB0605")]
    [InlineData("feature m metered outcome resolved\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { m limit 5 hard reset \"1 day\" } }", "RB0605")]
    [InlineData("feature b bool\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { b } features { b } }", "RB0109")]
    [InlineData("feature m metered outcome resolved\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { m limit 5 } }", "RB0002")]
    [InlineData("feature m metered\n", "RB0002")]
    public void Mistakes_have_stable_codes(string rules, string code) => Assert.Equal(code, Codes(rules));

    [Fact]
    public void Grants_of_a_broken_feature_are_not_reported_again()
    {
        Assert.Equal("RB0104", Codes("feature m metered outcome nope\ncontract c version 1 effective 2026-01-01 { customers default pricing support features { m limit 5 hard } }"));
    }

    [Fact]
    public void Diagnostics_point_at_the_grant()
    {
        var compilation = Compile(Base + "contract c version 1 effective 2026-01-01 {\n  customers default\n  pricing support\n  features { premum }\n}");
        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.StartsWith("f.rules:17:14: error RB0601: unknown feature 'premum'", diagnostic.Render());
    }

    [Fact]
    public void A_syntax_error_before_a_feature_declaration_resumes_at_it()
    {
        var parsed = RuleParser.Parse(new SourceText("r.rules", "event e { x: }\nfeature premium bool\nevent { }\nfeature other bool\n"));
        Assert.Equal(2, parsed.Diagnostics.Count);
        Assert.Equal(["premium", "other"], parsed.File.Declarations.Select(d => d.Name.Text));
    }
}
