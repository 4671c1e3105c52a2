using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Scripting;

/// <summary>Script references in rule files: syntax, printing, checks, and each clause a script can compute.</summary>
public class ScriptLanguageTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["scripts/key.csx"] = "return e.order_id.ToUpperInvariant();",
        ["scripts/broken.csx"] = "return e.nope > 1m;",
    };

    [Fact]
    public void Every_outcome_clause_can_be_a_script_and_they_evaluate_like_the_dsl()
    {
        var rules = ScriptRules.CompileOk(ScriptRules.Outcome(""""
              when script """ e.items >= 1m """ returns bool and total > 1 USD
              key script "scripts/key.csx"
              quantity script """
                var q = 0m;
                for (var i = 0; i < (int)e.items; i++) q += 2m;
                return q;
              """
              value script """ e.total * 1.1m """ returns money USD
              dimensions { coupon: script """ e.coupon?.ToLowerInvariant() """, tier: script """ e.total > 100m ? "big" : "small" """ }
            """"), files: Files);
        var outcome = rules.Outcomes[0];
        var order = ScriptRules.Order("ab-1", 150m, 3m, "SPRING");

        Assert.Equal(
            (true, "AB-1", 6m, 165.0m, "USD"),
            (outcome.Condition!(order), outcome.Key!(order), outcome.Quantity(order), outcome.Value!(order), outcome.ValueCurrency));
        Assert.Equal(["spring", "big"], outcome.Dimensions.Select(d => d.Selector(order)));
        Assert.Null(outcome.Dimensions[0].Selector(ScriptRules.Order("x", 1m, 1m)));
    }

    [Fact]
    public void Printing_a_rule_file_with_scripts_parses_back_to_the_same_text()
    {
        const string text = """""
            outcome o from order.paid {
              when script """ e.total > 1m && s == "a""b" """ returns bool and items > 1
              key script "k.csx"
              value script """"
                return """x""".Length;
              """" returns money EUR
            }

            pricing p {
              charge o {
                script "rate.csx"
              }
            }
            """"";
        var parsed = RuleParser.Parse(new SourceText("a.rules", text));
        Assert.Empty(parsed.Diagnostics);

        var printed = RulePrinter.Print(parsed.File);
        var reparsed = RuleParser.Parse(new SourceText("b.rules", printed));

        Assert.Empty(reparsed.Diagnostics);
        Assert.Equal(printed, RulePrinter.Print(reparsed.File));
        var when = Assert.IsType<WhenClause>(((OutcomeDecl)reparsed.File.Declarations[0]).Clauses[0]);
        var script = Assert.IsType<ScriptExpr>(Assert.IsType<BinaryExpr>(when.Condition).Left);
        Assert.Equal(" e.total > 1m && s == \"a\"\"b\" ", Assert.IsType<InlineScriptSource>(script.Source).Code);
        Assert.Contains("script \"rate.csx\"", printed);
    }

    [Fact]
    public void An_unterminated_script_block_is_a_lexical_error()
    {
        var parsed = RuleParser.Parse(new SourceText("a.rules", "outcome o from x {\n  when script \"\"\" e.total > 1m\n}\n"));

        var error = Assert.Single(parsed.Diagnostics);
        Assert.Equal(("RB0003", 2, 15), (error.Code, error.Position.Line, error.Position.Column));
        Assert.Contains("unterminated script block", error.Message);
    }

    [Fact]
    public void Scripts_are_refused_unless_enabled()
    {
        var text = ScriptRules.Outcome("""  when script "scripts/key.csx" returns bool""");

        var compilation = ScriptRules.Compile(text, CompileOptions.Default, Files);

        var error = Assert.Single(compilation.Diagnostics);
        Assert.Equal(("RB0501", 8, 8), (error.Code, error.Position.Line, error.Position.Column));
        Assert.Contains("--allow-scripts", error.Message);
    }

    [Theory]
    [InlineData("""  key script "missing.csx" """, "RB0502", "cannot read script file 'missing.csx'")]
    [InlineData("""  key script "notes.txt" """, "RB0502", "must be a .csx file")]
    [InlineData("""  value script "scripts/key.csx" """, "RB0505", "returns money USD")]
    [InlineData("""  when script "scripts/key.csx" """, "RB0503", "Cannot implicitly convert type 'string' to 'bool'")]
    [InlineData("""  quantity script "scripts/key.csx" returns money XXX """, "RB0105", "unknown currency 'XXX'")]
    public void Script_references_are_checked(string clause, string code, string message)
    {
        var compilation = ScriptRules.Compile(ScriptRules.Outcome(clause), files: Files);

        var error = compilation.Diagnostics.First(d => d.IsError);
        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Errors_in_a_script_file_point_into_that_file()
    {
        var compilation = ScriptRules.Compile(ScriptRules.Outcome("""  when script "scripts/broken.csx" returns bool"""), files: Files);

        var error = compilation.Diagnostics.Single(d => d.IsError);
        Assert.Equal("scripts/broken.csx:1:10: error RB0503: C# CS1061: 'EventData' does not contain a definition for 'nope' and no accessible extension method 'nope' accepting a first argument of type 'EventData' could be found (are you missing a using directive or an assembly reference?)",
            error.Headline);
    }

    [Fact]
    public void Scripts_cannot_be_charge_filters_or_guards()
    {
        var text = ScriptRules.Events + """"
            outcome paid_order from order.paid { dimensions { c: coupon } }
            pricing p {
              charge paid_order where script """ true """ returns bool { unit 1 USD }
              guard g: script """ true """ returns bool then alert
            }
            """";

        var compilation = ScriptRules.Compile(text);

        Assert.Equal(["RB0505", "RB0505"], compilation.Diagnostics.Where(d => d.IsError).Select(d => d.Code));
    }

    [Fact]
    public void Script_files_change_the_rule_set_hash()
    {
        var text = ScriptRules.Outcome("""  key script "scripts/key.csx" """);
        var first = ScriptRules.CompileOk(text, files: Files);
        var changed = ScriptRules.CompileOk(text, files: new Dictionary<string, string> { ["scripts/key.csx"] = "return e.order_id;" });

        Assert.Equal(first.Hash, ScriptRules.CompileOk(text, files: Files).Hash);
        Assert.NotEqual(first.Hash, changed.Hash);
    }

    [Fact]
    public void Compile_paths_reads_scripts_next_to_the_rule_file_and_nowhere_else()
    {
        var folder = Directory.CreateTempSubdirectory("rb-scripts-");
        try
        {
            File.WriteAllText(Path.Join(folder.FullName, "k.csx"), "return e.order_id + \"!\";");
            File.WriteAllText(Path.Join(folder.FullName, "ok.rules"), ScriptRules.Outcome("""  key script "k.csx" """));
            var outside = ScriptRules.Outcome("""  key script "../k.csx" """);

            var ok = RuleSetCompiler.CompilePaths([Path.Join(folder.FullName, "ok.rules")], ScriptRules.Enabled);
            File.WriteAllText(Path.Join(folder.FullName, "ok.rules"), outside);
            var escaped = RuleSetCompiler.CompilePaths([Path.Join(folder.FullName, "ok.rules")], ScriptRules.Enabled);

            Assert.True(ok.Success, ok.Render());
            Assert.Equal("o-1!", ok.RuleSet!.Outcomes[0].Key!(ScriptRules.Order("o-1", 1m, 1m)));
            Assert.Equal("RB0502", Assert.Single(escaped.Diagnostics).Code);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
