using System.Security.Cryptography;
using System.Text;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Compilation;

/// <summary>Source → compiled model, end to end through the parser, checker and LINQ compiler.</summary>
public class RuleSetCompilerTests
{
    private const string Events = """
        event ticket.resolved {
          ticket_id: string
          status: string
          team: string?
          csat: decimal?
          minutes_spent: integer
          price: money USD
        }

        event ticket.reopened {
          ticket: string
        }

        event llm.usage {
          ticket_id: string
          tokens: integer
        }
        """;

    private const string Rules = """
        outcome resolved_ticket from ticket.resolved {
          when status == "closed" and (csat ?? 5) >= 4
          key ticket_id within 7d
          quantity if has(csat) and csat > 4.5 then 2 else 1
          value price * 110% - 0.50 USD
          hold 72h reversed by ticket.reopened on ticket
          dimensions { team: team, channel: lower(event.source) }
          split partner { 70% to "acme", 30% to "reseller" }
        }

        outcome effort from ticket.resolved {
          quantity minutes_spent - 10
        }

        cost llm_spend from llm.usage {
          amount tokens * 0.000002 USD
          for resolved_ticket on ticket_id
        }

        pricing standard {
          base 499 USD, 459 EUR
          charge resolved_ticket where (team ?? "") == "enterprise" {
            free 10
            graduated {
              up to 1000 at 0.90 USD, 0.85 EUR
              rest at 0.50 USD, 0.45 EUR
            }
            cap 5000 USD, 4600 EUR
          }
          charge resolved_ticket {
            unit 1.25 USD, 1.10 EUR
          }
          minimum 1000 USD, 920 EUR
          guard thin: margin(resolved_ticket) < 20% then alert
          guard burn: revenue() < cost() then cap 100 USD, 90 EUR
        }

        contract acme version 1 effective 2026-01-01 until 2026-06-01 {
          customers "acme", "acme-eu"
          pricing standard
          currency USD
          period monthly anchor 15
        }

        contract acme version 2 effective 2026-07-01 {
          customers "acme"
          pricing standard
          currency USD
          period "P3M"
        }

        contract fallback version 1 effective 2026-01-01 {
          customers default
          pricing standard
          currency USD
        }
        """;

    private static readonly SourceText EventsFile = new("rules/events.rules", Events);
    private static readonly SourceText RulesFile = new("rules/billing.rules", Rules);

    private static CompiledRuleSet Compile()
    {
        var compilation = RuleSetCompiler.Compile([RulesFile, EventsFile]);
        Assert.Equal("", compilation.Render());
        Assert.True(compilation.Success);
        return compilation.RuleSet!;
    }

    private static RuleEvent Resolved(string status = "closed", object? team = null, object? csat = null, decimal minutes = 30m, decimal price = 20m) =>
        new("e1", "Support-Desk", "ticket.resolved", "acme", new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero),
            ["T-1", status, team, csat, minutes, price]);

    [Fact]
    public void Event_schemas_get_slots_in_declaration_order()
    {
        var schema = Compile().Events["ticket.resolved"];
        Assert.Equal(["ticket_id", "status", "team", "csat", "minutes_spent", "price"], schema.Fields.Select(f => f.Name));
        Assert.Equal([0, 1, 2, 3, 4, 5], schema.Fields.Select(f => f.Slot));
        Assert.Equal(new FieldSchema("team", FieldType.String, true, 2, null), schema.Fields[2]);
        Assert.Equal(new FieldSchema("price", FieldType.Money, false, 5, "USD"), schema.Fields[5]);
    }

    [Fact]
    public void Outcome_clauses_compile_to_delegates_over_the_event()
    {
        var outcome = Compile().Outcomes.Single(o => o.Name == "resolved_ticket");
        Assert.Equal("ticket.resolved", outcome.EventType);
        Assert.True(outcome.Condition!(Resolved()));
        Assert.False(outcome.Condition(Resolved(status: "open")));
        Assert.False(outcome.Condition(Resolved(csat: 3m)));
        Assert.Equal("T-1", outcome.Key!(Resolved()));
        Assert.Equal(TimeSpan.FromDays(7), outcome.DedupWindow);
        Assert.Equal(1m, outcome.Quantity(Resolved()));
        Assert.Equal(2m, outcome.Quantity(Resolved(csat: 4.8m)));
        Assert.Equal(21.50m, outcome.Value!(Resolved(price: 20m)));
        Assert.Equal("USD", outcome.ValueCurrency);
        Assert.Equal(TimeSpan.FromHours(72), outcome.Hold!.Window);
        Assert.Equal("ticket.reopened", outcome.Hold.ReversingEventType);
        var reopened = new RuleEvent("r1", "desk", "ticket.reopened", "acme", DateTimeOffset.UnixEpoch, ["T-1"]);
        Assert.Equal("T-1", outcome.Hold.ReversalKey(reopened));
        Assert.Equal(["team", "channel"], outcome.Dimensions.Select(d => d.Name));
        Assert.Null(outcome.Dimensions[0].Selector(Resolved()));
        Assert.Equal("gold", outcome.Dimensions[0].Selector(Resolved(team: "gold")));
        Assert.Equal("support-desk", outcome.Dimensions[1].Selector(Resolved()));
        Assert.Equal("partner", outcome.Split!.Dimension);
        Assert.Equal([0.70m, 0.30m], outcome.Split.Shares.Select(s => s.Fraction));
        Assert.Equal("reseller", outcome.Split.Shares[1].Target(Resolved()));
        Assert.Equal(new SourceLocation("rules/billing.rules", 1, 9), outcome.Location);
    }

    [Fact]
    public void Defaults_apply_when_clauses_are_omitted()
    {
        var outcome = Compile().Outcomes.Single(o => o.Name == "effort");
        Assert.Null(outcome.Condition);
        Assert.Null(outcome.Key);
        Assert.Null(outcome.Value);
        Assert.Null(outcome.Hold);
        Assert.Empty(outcome.Dimensions);
        Assert.Equal(20m, outcome.Quantity(Resolved(minutes: 30m)));
    }

    [Fact]
    public void A_negative_quantity_is_a_rating_error_at_the_quantity_expression()
    {
        var outcome = Compile().Outcomes.Single(o => o.Name == "effort");
        var error = Assert.Throws<RuleEvaluationException>(() => outcome.Quantity(Resolved(minutes: 4m)));
        Assert.Equal("RB0903", error.Code);
        Assert.Equal(new SourceLocation("rules/billing.rules", 12, 12), error.Location);
        Assert.Contains("-6", error.Reason);
    }

    [Fact]
    public void Costs_compile_with_their_currency_and_outcome_key()
    {
        var cost = Compile().Costs.Single();
        var usage = new RuleEvent("u1", "llm", "llm.usage", "acme", DateTimeOffset.UnixEpoch, ["T-9", 1500m]);
        Assert.Equal(0.003m, cost.Amount(usage));
        Assert.Equal("USD", cost.Currency);
        Assert.Equal("resolved_ticket", cost.Outcome);
        Assert.Equal("T-9", cost.OutcomeKey!(usage));
    }

    [Fact]
    public void Pricing_plans_keep_models_filters_and_guards()
    {
        var plan = Compile().Pricings["standard"];
        Assert.Equal(["EUR", "USD"], plan.Currencies);
        Assert.Equal(499m, plan.BaseFee!.In("USD"));
        Assert.Equal(920m, plan.Minimum!.In("EUR"));
        Assert.Null(plan.Cap);

        var (enterprise, fallback) = (plan.Charges[0], plan.Charges[1]);
        Assert.Equal("(team ?? \"\") == \"enterprise\"", enterprise.FilterText);
        Assert.True(enterprise.Filter!(new Dictionary<string, string?> { ["team"] = "enterprise" }));
        Assert.False(enterprise.Filter(new Dictionary<string, string?> { ["team"] = null }));
        Assert.False(enterprise.Filter(new Dictionary<string, string?>()));
        Assert.Equal(10m, enterprise.FreeUnits);
        Assert.Equal(4600m, enterprise.Cap!.In("EUR"));
        var tiers = Assert.IsType<TieredModel>(enterprise.Model);
        Assert.Equal(TierModeKind.Graduated, tiers.Mode);
        Assert.Equal([1000m, null], tiers.Tiers.Select(t => t.UpTo));
        Assert.Equal(0.45m, tiers.Tiers[1].Price.In("EUR"));
        Assert.Null(fallback.Filter);
        Assert.Equal(1.25m, Assert.IsType<UnitModel>(fallback.Model).Price.In("USD"));

        var thin = plan.Guards[0];
        Assert.Equal("margin(resolved_ticket) < 20%", thin.ConditionText);
        Assert.Equal(GuardActionType.Alert, thin.Action);
        Assert.True(thin.Condition(new FixedPeriod(revenue: 100m, cost: 90m)));
        Assert.False(thin.Condition(new FixedPeriod(revenue: 100m, cost: 10m)));
        var burn = plan.Guards[1];
        Assert.Equal(GuardActionType.Cap, burn.Action);
        Assert.Equal(90m, burn.CapAmount!.In("EUR"));
        Assert.True(burn.Condition(new FixedPeriod(revenue: 10m, cost: 11m)));
        Assert.Equal(["resolved_ticket", "resolved_ticket", null, null], FixedPeriod.Asked(burn, thin));
    }

    [Fact]
    public void Contract_versions_are_resolved_with_end_dates_currency_and_period()
    {
        var ruleSet = Compile();
        Assert.Equal(["acme/1", "acme/2", "fallback/1"], ruleSet.Contracts.Select(c => $"{c.Contract}/{c.Version}"));
        var (v1, v2, fallback) = (ruleSet.Contracts[0], ruleSet.Contracts[1], ruleSet.Contracts[2]);
        Assert.Equal(new DateOnly(2026, 6, 1), v1.EffectiveUntil);
        Assert.Null(v2.EffectiveUntil);
        Assert.Equal(["acme", "acme-eu"], v1.Customers);
        Assert.False(v1.IsDefault);
        Assert.True(fallback.IsDefault);
        Assert.Equal(new MonthlyPeriod(15), v1.Period);
        Assert.Equal(new IsoPeriod("P3M", 0, 3, 0), v2.Period);
        Assert.Equal(new MonthlyPeriod(1), fallback.Period);
        Assert.Equal("USD", v2.Currency);
        Assert.Equal("rules/billing.rules", v1.SourceFile);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Rules))), v1.SourceHash);
    }

    [Fact]
    public void The_rule_set_hash_depends_on_contents_only_not_on_paths_or_input_order()
    {
        var hash = Compile().Hash;
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, RuleSetCompiler.Compile([EventsFile, RulesFile]).RuleSet!.Hash);
        Assert.NotEqual(hash, RuleSetCompiler.Compile([EventsFile, new SourceText("rules/billing.rules", Rules + "\n")]).RuleSet!.Hash);
        // The same rules checked out elsewhere (or a file renamed) are the same rule set.
        Assert.Equal(hash, RuleSetCompiler.Compile([EventsFile, new SourceText("/elsewhere/other.rules", Rules)]).RuleSet!.Hash);
    }

    [Fact]
    public void Every_diagnostic_of_every_file_is_collected_and_sorted()
    {
        var broken = new SourceText("b.rules", """
            outcome a from nowhere {
              key id
            }
            pricing p {
              charge missing {
                unit 1 USX
              }
            }
            """);
        var alsoBroken = new SourceText("a.rules", """
            contract c version 1 effective 2026-01-01 {
              customers default
              pricing q
            }
            """);
        var compilation = RuleSetCompiler.Compile([broken, alsoBroken]);
        Assert.False(compilation.Success);
        Assert.Null(compilation.RuleSet);
        Assert.Equal(
            ["a.rules:3:11: error RB0106", "b.rules:1:16: error RB0101", "b.rules:5:10: error RB0104", "b.rules:6:10: error RB0105"],
            compilation.Diagnostics.Select(d => d.Headline[..d.Headline.IndexOf(':', d.Headline.IndexOf("RB", StringComparison.Ordinal))]));
    }

    [Fact]
    public void Syntax_errors_are_reported_without_semantic_follow_ups()
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("x.rules", "outcome a from e { when }")]);
        Assert.False(compilation.Success);
        Assert.All(compilation.Diagnostics, d => Assert.StartsWith("RB000", d.Code));
    }

    [Fact]
    public void Paths_are_read_from_folders_recursively_in_ordinal_order()
    {
        var root = Directory.CreateTempSubdirectory("rb-binder-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "sub"));
            File.WriteAllText(Path.Combine(root, "sub", "billing.rules"), Rules);
            File.WriteAllText(Path.Combine(root, "events.rules"), Events);
            File.WriteAllText(Path.Combine(root, "notes.txt"), "not a rule file");

            var compilation = RuleSetCompiler.CompilePaths([root]);
            Assert.True(compilation.Success, compilation.Render());
            Assert.Equal([$"{root}/sub/billing.rules"], compilation.RuleSet!.Contracts.Select(c => c.SourceFile).Distinct());

            var missing = RuleSetCompiler.CompilePaths([root, Path.Combine(root, "absent.rules")]);
            Assert.False(missing.Success);
            var diagnostic = Assert.Single(missing.Diagnostics);
            Assert.Equal("RB0006", diagnostic.Code);
            Assert.Contains("absent.rules", diagnostic.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_repl_evaluates_an_expression_against_an_event()
    {
        var ruleSet = Compile();
        var value = RuleSetCompiler.EvaluateExpression(ruleSet, "ticket.resolved", "price * 2 + 1 USD", Resolved(price: 2.50m));
        Assert.True(value.Success);
        Assert.Equal(("6.00", "money(USD)"), (value.Value, value.Type));

        var absent = RuleSetCompiler.EvaluateExpression(ruleSet, "ticket.resolved", "team", Resolved());
        Assert.Equal(("absent", "string?"), (absent.Value, absent.Type));

        var time = RuleSetCompiler.EvaluateExpression(ruleSet, "ticket.resolved", "event.time + 1d", Resolved());
        Assert.Equal(("2026-02-02T10:00:00Z", "timestamp"), (time.Value, time.Type));

        var unknown = RuleSetCompiler.EvaluateExpression(ruleSet, "ticket.resolved", "stat == \"x\"", Resolved());
        Assert.False(unknown.Success);
        Assert.Equal("RB0102", Assert.Single(unknown.Diagnostics).Code);

        var fault = RuleSetCompiler.EvaluateExpression(ruleSet, "ticket.resolved", "1 + minutes_spent / (minutes_spent - 30)", Resolved(minutes: 30m));
        var error = Assert.Single(fault.Diagnostics);
        Assert.Equal("<expression>:1:5: error RB0901: division by zero", error.Headline);

        Assert.Equal("RB0101", Assert.Single(RuleSetCompiler.EvaluateExpression(ruleSet, "ticket.closed", "1", Resolved()).Diagnostics).Code);
        Assert.Equal("RB0002", Assert.Single(RuleSetCompiler.EvaluateExpression(ruleSet, "ticket.resolved", "1 +", Resolved()).Diagnostics).Code);
    }

    [Fact]
    public void Runtime_faults_carry_the_code_and_the_location_of_the_failing_operation()
    {
        var source = new SourceText("calc.rules", Events + """

            outcome ratio from ticket.resolved {
              quantity 100 / (minutes_spent - 30)
              value price * 79228162514264337593543950335
            }
            """);
        var outcome = RuleSetCompiler.Compile([source]).RuleSet!.Outcomes.Single();
        var division = Assert.Throws<RuleEvaluationException>(() => outcome.Quantity(Resolved(minutes: 30m)));
        Assert.Equal(("RB0901", new SourceLocation("calc.rules", 19, 12)), (division.Code, division.Location));
        var overflow = Assert.Throws<RuleEvaluationException>(() => outcome.Value!(Resolved(price: 2m)));
        Assert.Equal(("RB0902", new SourceLocation("calc.rules", 20, 9)), (overflow.Code, overflow.Location));
        Assert.Equal(1m, outcome.Value!(Resolved(price: 0m)) + 1m);
    }

    /// <summary>A guard context with fixed aggregates that records which outcomes the guard asked about.</summary>
    private sealed class FixedPeriod(decimal revenue, decimal cost) : GuardContext
    {
        public List<string?> Outcomes { get; } = [];

        public override decimal Revenue(string? outcome)
        {
            Outcomes.Add(outcome);
            return revenue;
        }

        public override decimal Cost(string? outcome)
        {
            Outcomes.Add(outcome);
            return cost;
        }

        public override decimal Count(string? outcome)
        {
            Outcomes.Add(outcome);
            return 0m;
        }

        /// <summary>The outcome arguments the guards passed, in call order, over one shared context.</summary>
        public static IReadOnlyList<string?> Asked(params GuardRule[] guards)
        {
            var period = new FixedPeriod(1m, 1m);
            foreach (var guard in guards.Reverse()) guard.Condition(period);
            return period.Outcomes;
        }
    }
}
