using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Billing;
using UseCases = RulesBilling.Engine.Tests.Billing.UseCases;
using RulesBilling.Engine.Tests.Ingestion;

namespace RulesBilling.Engine.Tests.Scripting;

/// <summary>
/// The same pricing written once in the DSL and once with C# scripts (outcome condition, key, quantity and the charge's
/// rating function) produces identical invoices on generated events.
/// </summary>
public class ScriptPricingProperties
{
    private const string Events = """
        event order.paid {
          order_id: string
          total: money USD
          items: integer
        }

        """;

    private const string Contract = """

        contract c version 1 effective 2025-01-01 {
          customers default
          pricing p
        }
        """;

    private const string Dsl = Events + """
        outcome paid from order.paid {
          when total >= 5 USD and items > 0
          key lower(order_id)
          quantity items
        }

        pricing p {
          base 10 USD
          charge paid {
            free 3
            graduated {
              up to 10 at 2 USD
              rest at 0.75 USD
            }
          }
          minimum 15 USD
        }
        """ + Contract;

    private const string Scripted = Events + """"
        outcome paid from order.paid {
          when script """ e.total >= 5m && e.items > 0m """
          key script """ e.order_id.ToLowerInvariant() """
          quantity script """ e.items """
        }

        pricing p {
          base 10 USD
          charge paid {
            free 3
            script """
              var q = charge.BilledQuantity;
              var amount = 0m;
              foreach (var o in charge.Outcomes) amount += 0m * o.Quantity;
              return amount + Math.Min(q, 10m) * 2m + Math.Max(q - 10m, 0m) * 0.75m;
            """
          }
          minimum 15 USD
        }
        """" + Contract;

    private static readonly CompiledRuleSet DslRules = Compile(Dsl, CompileOptions.Default);
    private static readonly CompiledRuleSet ScriptRules = Compile(Scripted, new CompileOptions { AllowScripts = true });

    private static CompiledRuleSet Compile(string text, CompileOptions options)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("p.rules", text)], options);
        Assert.True(compilation.Success, compilation.Render());
        return compilation.RuleSet!;
    }

    [Property(MaxTest = 60)]
    public Property Dsl_and_script_pricing_rate_identical_invoices(int seed, byte count)
    {
        // Orders from a seeded generator: FsCheck varies the seed and the count, the spread of values stays realistic.
        var random = new Random(seed);
        var lines = Enumerable.Range(0, count % 60).Select(i => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["specversion"] = "1.0", ["id"] = $"e{i}", ["source"] = "shop", ["type"] = "order.paid",
            ["subject"] = $"cust-{random.Next(3)}", ["time"] = $"2025-{random.Next(3, 5):00}-{random.Next(1, 29):00}T10:00:00Z",
            ["data"] = new Dictionary<string, object>
            {
                ["order_id"] = (random.Next(2) == 0 ? "ORD-" : "ord-") + random.Next(40),
                ["total"] = random.Next(0, 2000) / 100m,
                ["items"] = random.Next(0, 15),
            },
        }));
        var events = string.Join("\n", lines);
        var clock = new TestClock(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));

        var dsl = UseCases.Simulate(DslRules, new StringReader(events), clock);
        var script = UseCases.Simulate(ScriptRules, new StringReader(events), clock);

        return (dsl.Errors.Count == 0 && script.Errors.Count == 0
            && dsl.Invoices.Select(Summary).SequenceEqual(script.Invoices.Select(Summary))).ToProperty()
            .Label(string.Join("\n", dsl.Invoices.Select(Summary).Concat(script.Invoices.Select(Summary)).Concat(dsl.Errors.Concat(script.Errors).Select(e => e.Message))));
    }

    [Fact]
    public void A_rating_script_that_never_ends_is_a_rating_error_and_simulation_carries_on()
    {
        var looping = Compile(Scripted.Replace("var amount = 0m;", "var amount = 0m; while (q >= 0m) { amount++; }", StringComparison.Ordinal),
            new CompileOptions { AllowScripts = true });
        var events = """
            {"specversion":"1.0","id":"e1","source":"shop","type":"order.paid","subject":"acme","time":"2025-03-02T10:00:00Z","data":{"order_id":"a","total":9,"items":4}}
            """;

        var result = UseCases.Simulate(looping, new StringReader(events), new TestClock(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero)));
        var again = UseCases.Simulate(ScriptRules, new StringReader(events), new TestClock(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero)));

        var error = Assert.Single(result.Errors);
        Assert.Equal("RB0904", error.Code);
        Assert.Contains("p.rules:", error.Message);
        Assert.Equal(25m, Assert.Single(again.Invoices).Total);
    }

    private static string Summary(RulesBilling.Engine.Invoicing.Invoice invoice) =>
        // Amounts compare by value: the script's decimal may carry a different scale (30.00 vs 30) than the DSL's.
        $"{invoice.Customer} {invoice.PeriodFrom:yyyy-MM-dd} {invoice.Total:F4} | "
        + string.Join(", ", invoice.Lines.Select(l => $"{l.Kind}:{l.Quantity:F4}:{l.Amount:F4}"));
}
