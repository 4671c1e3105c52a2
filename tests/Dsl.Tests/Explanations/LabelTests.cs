using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Explanations;

/// <summary><c>label</c> and <c>description</c> (docs/dsl-spec.md §9.11): parsing, the checks with their codes, generated labels.</summary>
public class LabelTests
{
    private const string Base = """
        event job.done {
          job_id: string
          size: string?
          description: string
          urgent: bool
        }
        outcome job_run from job.done {
          key job_id
          dimensions { size: size }
        }

        """;

    private static (CompiledRuleSet? Rules, IReadOnlyList<Diagnostics.Diagnostic> Diagnostics, string Rendered) Compile(string rules)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("t.rules", Base + rules)]);
        return (compilation.Success ? compilation.RuleSet : null, compilation.Diagnostics,
            string.Join("\n", compilation.Diagnostics.Select(d => d.Render())));
    }

    private static string Codes(string rules) => string.Join(" ", Compile(rules).Diagnostics.Select(d => d.Code));

    private static string Pricing(string charges) => $"pricing p {{\n{charges}\n}}\n";

    [Fact]
    public void Labels_and_descriptions_reach_the_compiled_rules()
    {
        var (rules, diagnostics, _) = Compile("""
            outcome big_job from job.done {
              label "Large job"
              description "A job of size large."
              when size ?? "" == "large"
              key job_id
            }
            pricing p {
              charge big_job {
                label "Large job run"
                description "Billed per run."
                unit 3 USD
              }
              guard thin: margin() < 10% then alert label "Thin margin" description "Costs above 90% of revenue."
            }
            """);
        Assert.Empty(diagnostics);
        var outcome = Assert.Single(rules!.Outcomes, o => o.Name == "big_job");
        Assert.Equal(("Large job", "A job of size large."), (outcome.Label, outcome.Description));
        var charge = Assert.Single(rules.Pricings["p"].Charges);
        Assert.Equal(("Large job run", "Billed per run."), (charge.Label, charge.Description));
        var guard = Assert.Single(rules.Pricings["p"].Guards);
        Assert.Equal(("Thin margin", "Costs above 90% of revenue."), (guard.Label, guard.Description));
    }

    [Fact]
    public void A_field_may_still_be_called_description() =>
        Assert.Equal("", Codes("outcome described from job.done {\n  when description != \"\"\n}\n"));

    [Fact]
    public void Without_labels_the_generated_ones_read_as_words_never_as_rule_text()
    {
        var (rules, diagnostics, _) = Compile(Pricing("""
              charge job_run where (size ?? "small") in ["large", "huge"] {
                unit 2 USD
              }
              charge job_run where has(size) and size == "tiny" {
                unit 0.5 USD
              }
              charge job_run where len(size ?? "") > 3 {
                unit 1.5 USD
              }
              charge job_run {
                unit 1 USD
              }
              guard job_margin: margin() < 10% then alert
            """));
        Assert.Empty(diagnostics);
        var plan = rules!.Pricings["p"];
        Assert.Equal(
            ["Job run (size large or huge)", "Job run (with size, size tiny)", "Job run (group 3)", "Job run (all other)"],
            plan.Charges.Select(c => c.Label));
        Assert.Equal("Job margin", Assert.Single(plan.Guards).Label);
        Assert.Equal("Job run", Assert.Single(rules.Outcomes).Label);
    }

    [Fact]
    public void An_unfiltered_charge_alone_takes_the_outcome_label()
    {
        var (rules, _, _) = Compile("outcome o2 from job.done {\n  label \"Finished job\"\n  description \"Any job.\"\n}\n"
            + Pricing("charge o2 {\n unit 1 USD\n}"));
        var charge = Assert.Single(rules!.Pricings["p"].Charges);
        Assert.Equal(("Finished job", "Any job."), (charge.Label, charge.Description));
    }

    [Theory]
    [InlineData("label \"\"", "RB0310")]
    [InlineData("label \"   \"", "RB0310")]
    [InlineData("label \" Job\"", "RB0310")]
    [InlineData("label \"Job\\nrun\"", "RB0311")]
    [InlineData("description \"Billed\\tper job.\"", "RB0311")]
    [InlineData("label \"Job\" label \"Run\"", "RB0109")]
    [InlineData("description \"a\" description \"b\"", "RB0109")]
    public void Bad_charge_texts_are_refused_with_their_code(string clauses, string code) =>
        Assert.Equal(code, Codes(Pricing($"charge job_run {{\n {clauses}\n unit 1 USD\n}}")));

    [Fact]
    public void Labels_have_a_length_limit()
    {
        Assert.Equal("", Codes(Pricing($"charge job_run {{\n label \"{new string('a', 80)}\"\n unit 1 USD\n}}")));
        Assert.Equal("RB0312", Codes(Pricing($"charge job_run {{\n label \"{new string('a', 81)}\"\n unit 1 USD\n}}")));
        Assert.Equal("", Codes(Pricing($"charge job_run {{\n description \"{new string('a', 280)}\"\n unit 1 USD\n}}")));
        Assert.Equal("RB0312", Codes(Pricing($"charge job_run {{\n description \"{new string('a', 281)}\"\n unit 1 USD\n}}")));
    }

    [Fact]
    public void Outcome_and_guard_texts_are_checked_too()
    {
        Assert.Equal("RB0310 RB0109", Codes("outcome o2 from job.done {\n  label \"\"\n  label \"Again\"\n}\n"));
        Assert.Equal("RB0311", Codes(Pricing("charge job_run {\n unit 1 USD\n}\nguard g: margin() < 1% then hold label \"a\\tb\"")));
    }

    [Fact]
    public void Two_charges_with_one_label_are_refused_with_where_the_first_is()
    {
        var (_, _, rendered) = Compile(Pricing("""
              charge job_run where (size ?? "") == "large" {
                label "Job"
                unit 2 USD
              }
              charge job_run {
                label "job"
                unit 1 USD
              }
            """));
        Assert.Equal("""
            t.rules:17:11: error RB0313: charge 'job_run' has the label "job", like the charge at t.rules:13:11 in pricing 'p'; customers could not tell the two lines apart
                  label "job"
                        ^^^^^
            """.Replace("\r", ""), rendered);
    }
}
