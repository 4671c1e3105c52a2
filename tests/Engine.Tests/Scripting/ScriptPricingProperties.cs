using System.Text.Json;
using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Billing;
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

    public sealed record Order(byte Customer, byte Day, byte Items, ushort TotalCents, byte OrderNumber, bool Upper);

    [Property(MaxTest = 60)]
    public bool Dsl_and_script_pricing_rate_identical_invoices(Order[] orders)
    {
        var lines = orders.Select((o, i) => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["specversion"] = "1.0", ["id"] = $"e{i}", ["source"] = "shop", ["type"] = "order.paid",
            ["subject"] = $"cust-{o.Customer % 3}", ["time"] = $"2025-03-{1 + o.Day % 28:00}T10:00:00Z",
            ["data"] = new Dictionary<string, object>
            {
                ["order_id"] = (o.Upper ? "ORD-" : "ord-") + (o.OrderNumber % 12), ["total"] = (o.TotalCents % 2000) / 100m, ["items"] = o.Items % 15,
            },
        }));
        var events = string.Join("\n", lines);
        var clock = new TestClock(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));

        var dsl = BillingEngine.Simulate(DslRules, new StringReader(events), clock);
        var script = BillingEngine.Simulate(ScriptRules, new StringReader(events), clock);

        return dsl.Errors.Count == 0 && script.Errors.Count == 0
            && dsl.Invoices.Select(Summary).SequenceEqual(script.Invoices.Select(Summary));
    }

    private static string Summary(RulesBilling.Engine.Invoicing.Invoice invoice) =>
        $"{invoice.Customer} {invoice.PeriodFrom:yyyy-MM-dd} {invoice.Total} | "
        + string.Join(", ", invoice.Lines.Select(l => $"{l.Kind}:{l.Quantity}:{l.Amount}"));
}
