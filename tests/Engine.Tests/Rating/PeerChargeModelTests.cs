using System.Text.Json;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Billing;

namespace RulesBilling.Engine.Tests.Rating;

/// <summary>
/// The peers' own figures (docs/dsl-spec.md §9.5.1–§9.5.4) through the real pipeline: DSL text compiled, CloudEvents
/// ingested, the period previewed; each line's breakdown steps add up to its amount.
/// </summary>
public sealed class PeerChargeModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 20, 12, 0, 0, TimeSpan.Zero);

    private const string Events = """
        event usage.recorded {
          usage_id: string
          units: decimal
        }
        outcome usage from usage.recorded {
          key usage_id
          quantity units
        }
        event money.moved {
          move_id: string
          total: money USD
        }
        outcome move from money.moved {
          key move_id
          value total
        }
        event priced.usage {
          usage_id: string
          units: decimal
          price: money USD
        }
        outcome priced from priced.usage {
          key usage_id
          quantity units
          value price
        }
        """;

    private static CompiledRuleSet Rules(string charges)
    {
        var text = Events + "\npricing p {\n" + charges + "\n}\ncontract c version 1 effective 2026-01-01 {\n  customers default\n  pricing p\n  currency USD\n  period monthly\n}\n";
        var compilation = RuleSetCompiler.Compile([new SourceText("peers.rules", text)]);
        Assert.True(compilation.Success, compilation.Render());
        return compilation.RuleSet!;
    }

    private static string Event(string type, string id, string customer, object data, int day = 5) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["specversion"] = "1.0", ["id"] = id, ["source"] = "peers", ["type"] = type, ["subject"] = customer,
            ["time"] = $"2026-01-{day:D2}T09:00:00Z", ["data"] = data,
        });

    private static string Usage(string id, decimal units, string customer = "acme") =>
        Event("usage.recorded", id, customer, new Dictionary<string, object> { ["usage_id"] = id, ["units"] = units });

    private static string Move(string id, string total, string customer = "acme") =>
        Event("money.moved", id, customer, new Dictionary<string, object> { ["move_id"] = id, ["total"] = total });

    private static string Priced(string id, decimal units, string price, string customer = "acme") =>
        Event("priced.usage", id, customer, new Dictionary<string, object> { ["usage_id"] = id, ["units"] = units, ["price"] = price });

    private static PreviewResult Preview(CompiledRuleSet rules, string customer, params string[] events)
    {
        var store = new InMemoryBillingStore();
        var clock = new Billing.TestClock(Now);
        if (events.Length > 0)
        {
            var ingested = new EventIngestor(store, clock).Ingest("t1", "[" + string.Join(",", events) + "]", rules);
            Assert.Equal(events.Length, ingested.Accepted);
        }
        return new UseCases(store, new FixedRuleSet(rules), clock).Preview("t1", customer);
    }

    private static InvoiceLine Line(CompiledRuleSet rules, string outcome, string customer, params string[] events)
    {
        var preview = Preview(rules, customer, events);
        Assert.Empty(preview.Errors);
        var invoice = Assert.Single(preview.Invoices);
        Assert.All(invoice.Lines, l => Assert.Equal(l.Amount, CurrencyMath.RoundHalfUp(l.Breakdown.Sum(s => s.Amount), "USD")));
        return Assert.Single(invoice.Lines, l => l.Rule == outcome);
    }

    [Fact]
    public void Stripe_fixed_fee_and_overage_is_200_USD_for_the_first_100000_tokens_then_0_001()
    {
        // docs.stripe.com "Model usage-based pricing", fixed fee and overage: first tier 0–100,000 at 0 with a 200 USD
        // flat fee, then 0.001 USD per token.
        var rules = Rules("charge usage { graduated { up to 100000 flat 200 USD; rest at 0.001 USD } }\ncharge move { unit 0 USD }");

        var line = Line(rules, "usage", "acme", Usage("u1", 100_000m), Usage("u2", 50_000m));

        Assert.Equal(250.00m, line.Amount);
        Assert.Equal(["tier", "tier-flat", "tier"], line.Breakdown.Select(s => s.Kind));
        Assert.Equal("flat fee of first 100000 = 200.00 USD", line.Breakdown[1].Text);
        Assert.Equal(50.00m, line.Breakdown[2].Amount);
    }

    [Fact]
    public void The_first_tiers_flat_fee_is_billed_in_a_period_without_usage_unless_the_tiers_say_when_used()
    {
        // Stripe and OpenMeter (PR #2119) always bill the first tier's flat fee; Lago does since lago-api PR #5760.
        var billed = Rules("charge usage { graduated { up to 100000 flat 200 USD; rest at 0.001 USD } }\ncharge move { unit 1 USD }");
        var waived = Rules("charge usage { graduated when used { up to 100000 flat 200 USD; rest at 0.001 USD } }\ncharge move { unit 1 USD }");

        var atZero = Line(billed, "usage", "acme", Move("m1", "10"));
        Assert.Equal(200.00m, atZero.Amount);
        Assert.Equal(0m, atZero.Quantity);
        Assert.Equal("flat fee of first 100000, billed at 0 units = 200.00 USD", Assert.Single(atZero.Breakdown).Text);

        var none = Line(waived, "usage", "acme", Move("m1", "10"));
        Assert.Equal(0.00m, none.Amount);
        Assert.Equal("none", Assert.Single(none.Breakdown).Kind);
    }

    [Fact]
    public void OpenMeter_first_tier_flat_price_of_500_then_0_10_a_unit_bills_600_for_2000_units()
    {
        // Kong Metering & Billing (OpenMeter) pricing models: (1000 × 0 + 500) + (1000 × 0.1 + 0) = 600.
        var rules = Rules("charge usage { graduated { up to 1000 at 0 USD plus 500 USD; rest at 0.10 USD } }\ncharge move { unit 0 USD }");

        Assert.Equal(600.00m, Line(rules, "usage", "acme", Usage("u1", 2000m)).Amount);
    }

    [Theory]
    [InlineData(1, "11.00", "11.00")]
    [InlineData(100, "110.00", "110.00")]
    [InlineData(101, "130.80", "100.80")]
    [InlineData(1001, "900.50", "550.50")]
    public void Flat_fees_on_every_tier_match_the_spec_table(int quantity, string graduated, string volume)
    {
        const string tiers = "up to 100 at 1.00 USD plus 10 USD; up to 1000 at 0.80 USD plus 20 USD; rest at 0.50 USD plus 50 USD";
        var rules = Rules($"charge usage {{ graduated {{ {tiers} }} }}\ncharge priced {{ volume {{ {tiers} }} }}\ncharge move {{ unit 0 USD }}");
        var preview = Preview(rules, "acme", Usage("u1", quantity), Priced("p1", quantity, "1"));

        var invoice = Assert.Single(preview.Invoices);
        Assert.Equal(decimal.Parse(graduated, System.Globalization.CultureInfo.InvariantCulture), invoice.Lines.Single(l => l.Rule == "usage").Amount);
        Assert.Equal(decimal.Parse(volume, System.Globalization.CultureInfo.InvariantCulture), invoice.Lines.Single(l => l.Rule == "priced").Amount);
    }

    [Theory]
    // getlago.com/docs "Graduated percentage": 0–1,000 at 1% + 200, 1,001–10,000 at 2% + 300, above at 3% + 400.
    [InlineData(new[] { "500" }, "205.00")]                    // "a first transaction at $500 would cost … $205.00"
    [InlineData(new[] { "500", "550" }, "511.00")]             // + the second transaction's $306.00
    [InlineData(new[] { "2000", "2500", "550" }, "591.00")]    // v2 docs: 5,050 USD → 591 USD
    [InlineData(new[] { "500", "550", "4000" }, "591.00")]     // + the third transaction's $80.00
    [InlineData(new[] { "12000" }, "1150.00")]
    public void Lago_graduated_percentage_figures(string[] totals, string expected)
    {
        var rules = Rules("""
            charge move {
              graduated percent of value {
                up to 1000 USD at 1% plus 200 USD
                up to 10000 USD at 2% plus 300 USD
                rest at 3% plus 400 USD
              }
            }
            """);

        var line = Line(rules, "move", "acme", totals.Select((t, i) => Move($"m{i}", t)).ToArray());

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), line.Amount);
        Assert.Contains(line.Breakdown, s => s.Kind == "percent-tier");
        Assert.Contains(line.Breakdown, s => s.Kind == "tier-flat");
    }

    [Fact]
    public void Lago_graduated_percentage_of_5050_explains_each_tier_and_flat_fee()
    {
        var rules = Rules("charge move { graduated percent of value { up to 1000 USD at 1% plus 200 USD; up to 10000 USD at 2% plus 300 USD; rest at 3% plus 400 USD } }");

        var line = Line(rules, "move", "acme", Move("m1", "2000"), Move("m2", "2500"), Move("m3", "550"));

        Assert.Equal(
            [
                new LineStep("percent-tier", "first 1000.00 USD: 1% of 1000.00 USD = 10.00 USD", 1000m, 0.01m, 10.00m),
                new LineStep("tier-flat", "flat fee of first 1000.00 USD = 200.00 USD", null, null, 200m),
                new LineStep("percent-tier", "over 1000.00 USD up to 10000.00 USD: 2% of 4050.00 USD = 81.00 USD", 4050m, 0.02m, 81.00m),
                new LineStep("tier-flat", "flat fee of over 1000.00 USD up to 10000.00 USD = 300.00 USD", null, null, 300m),
            ],
            line.Breakdown);
    }

    [Fact]
    public void Lago_stripe_template_card_fee_is_2_9_percent_plus_0_30_per_payment()
    {
        // getlago.com/docs "Per-transaction: Stripe": card payments online, 2.9% + 0.30 USD per transaction.
        var rules = Rules("charge move { percent 2.9% of value plus 0.30 USD }");

        var line = Line(rules, "move", "acme", Move("m1", "100"));

        Assert.Equal(3.20m, line.Amount);
        Assert.Equal(["percent", "percent-fee"], line.Breakdown.Select(s => s.Kind));
        Assert.Equal("fixed fee 1 outcome × 0.30 USD = 0.30 USD", line.Breakdown[1].Text);
    }

    [Fact]
    public void Fee_plus_percent_with_a_free_amount_and_per_payment_min_and_max()
    {
        // §9.5.3: 400 free (600 left); 700 pays on 100 → 3.20; 50 → 1.75; 2,000 → 58.30 → 25; 5 → 0.445 → 0.50.
        var rules = Rules("charge move {\n free 1000 USD\n percent 2.9% of value plus 0.30 USD min 0.50 USD max 25 USD\n}");

        var line = Line(rules, "move", "acme",
            Move("m1", "400"), Move("m2", "700"), Move("m3", "50"), Move("m4", "2000"), Move("m5", "5"));

        Assert.Equal(30.45m, line.Amount);
        Assert.Equal(
            [
                new LineStep("free-amount", "1000.00 USD of value free (1000.00 USD included)", null, null, 0m),
                new LineStep("percent", "2.9% of 2155.00 USD value = 62.495 USD", 2155m, 0.029m, 62.495m),
                new LineStep("percent-fee", "fixed fee 4 outcomes × 0.30 USD = 1.20 USD", 4m, 0.30m, 1.20m),
                new LineStep("percent-min", "minimum 0.50 USD per outcome, 1 outcome raised: +0.055 USD", 1m, null, 0.055m),
                new LineStep("percent-max", "maximum 25.00 USD per outcome, 1 outcome lowered: -33.30 USD", 1m, null, -33.30m),
            ],
            line.Breakdown);
    }

    [Fact]
    public void Lago_dynamic_sums_the_amounts_the_events_carry()
    {
        // getlago.com/docs v2 "Dynamic": two events carrying 70 and 55 cents (12 units) → 1.25 USD.
        var rules = Rules("charge priced { dynamic value }");

        var line = Line(rules, "priced", "acme", Priced("p1", 5m, "0.70"), Priced("p2", 7m, "0.55"));

        Assert.Equal(1.25m, line.Amount);
        Assert.Equal(12m, line.Quantity);
        Assert.Equal(new LineStep("dynamic", "prices carried on 2 events = 1.25 USD", 12m, null, 1.25m), Assert.Single(line.Breakdown));
    }

    [Fact]
    public void Dynamic_unit_prices_times_a_multiplier()
    {
        // 30 × 0.05 + 12.5 × 0.08 = 2.50; OpenMeter's multiplier 1.2 → 3.00.
        var rules = Rules("charge priced { dynamic value per unit times 1.2 }");

        var line = Line(rules, "priced", "acme", Priced("p1", 30m, "0.05"), Priced("p2", 12.5m, "0.08"));

        Assert.Equal(3.00m, line.Amount);
        Assert.Equal("42.5 units at the unit prices carried on 2 events, times 1.2 = 3.00 USD", Assert.Single(line.Breakdown).Text);
    }

    [Fact]
    public void A_negative_price_carried_on_an_event_is_a_rating_error_not_a_credit()
    {
        var rules = Rules("charge priced { dynamic value }");

        var preview = Preview(rules, "acme", Priced("p1", 1m, "0.70"), Priced("p2", 1m, "-0.50"));

        var error = Assert.Single(preview.Errors);
        Assert.Equal("RB0913", error.Code);
        Assert.Contains("carries a negative price -0.50 USD", error.Message);
        Assert.Empty(preview.Invoices);
    }
}
