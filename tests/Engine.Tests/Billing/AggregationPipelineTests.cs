using System.Globalization;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// Charge aggregations through the real pipeline (rule text → ingestion → outcomes → invoice), reproducing the
/// published examples of Lago (weighted_sum) and Flexprice (bucketed max) to the cent, and the usage read model
/// agreeing with the invoice line.
/// </summary>
public sealed class AggregationPipelineTests
{
    private const string Events = """
        event seat.changed {
          change: decimal
        }
        event storage.sampled {
          gb: decimal
        }
        event session.started {
          session_id: string
          user_id: string
        }
        outcome seats from seat.changed {
          quantity change
        }
        outcome storage from storage.sampled {
          quantity gb
        }
        outcome session from session.started {
          key session_id
          dimensions { user: user_id }
        }
        """;

    private static CompiledRuleSet Compile(string pricing, string currency = "USD")
    {
        var text = Events + pricing + $$"""

            contract c version 1 effective 2022-01-01 {
              customers default
              pricing p
              currency {{currency}}
              period monthly
            }
            """;
        var compilation = RuleSetCompiler.Compile([new SourceText("agg.rules", text)]);
        Assert.True(compilation.Success, compilation.Render());
        return compilation.RuleSet!;
    }

    private static string Event(string id, string type, string time, string data) =>
        $$"""{"specversion":"1.0","id":"{{id}}","source":"s","type":"{{type}}","subject":"acme","time":"{{time}}","data":{{data}}}""";

    private static SimulationResult Simulate(CompiledRuleSet rules, params string[] events) =>
        UseCases.Simulate(rules, new StringReader(string.Join("\n", events)), new TestClock(At("2030-01-01T00:00:00Z")));

    private static InvoiceLine ChargeLine(SimulationResult result, int index = 0)
    {
        Assert.Empty(result.Errors);
        Assert.Empty(result.Rejected);
        return result.Invoices.SelectMany(i => i.Lines).Where(l => l.Kind == LineKind.Charge).ElementAt(index);
    }

    private static void AssertStepsAddUp(InvoiceLine line, string currency = "USD") =>
        Assert.Equal(line.Amount, CurrencyMath.RoundHalfUp(line.Breakdown.Sum(s => s.Amount), currency));

    [Fact]
    public void Weighted_sum_reproduces_the_Lago_example_20_GB_for_a_day_then_30_GB_for_15_days_of_January()
    {
        // Lago docs: (20 / 2,678,400) × 86,400 + (30 / 2,678,400) × 1,296,000 = 0.645… + 14.516… = 15.1612903226.
        var rules = Compile("pricing p { charge seats { aggregate weighted_sum unit 1 USD } }");
        var result = Simulate(rules,
            Event("a", "seat.changed", "2022-01-16T00:00:00Z", """{"change":20}"""),
            Event("b", "seat.changed", "2022-01-17T00:00:00Z", """{"change":10}"""));

        var line = ChargeLine(result);
        Assert.Equal(470m / 31m, line.Quantity);
        Assert.Equal("15.1612903226", Math.Round(line.Quantity, 10).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(15.16m, line.Amount);
        Assert.Equal("aggregate", line.Breakdown[0].Kind);
        Assert.Contains("(20 × 1d + 30 × 15d) / 31d", line.Breakdown[0].Text);
        AssertStepsAddUp(line);
    }

    [Fact]
    public void Weighted_sum_takes_negative_changes_a_seat_added_then_removed()
    {
        // +3 seats on the 1st, −1 on the 11th (10 days), −2 on the 21st (10 days): (3×10 + 2×10 + 0×11) / 31 × 31 USD = 50.00.
        var rules = Compile("pricing p { charge seats { aggregate weighted_sum unit 31 USD } }");
        var line = ChargeLine(Simulate(rules,
            Event("a", "seat.changed", "2022-03-01T00:00:00Z", """{"change":3}"""),
            Event("b", "seat.changed", "2022-03-11T00:00:00Z", """{"change":-1}"""),
            Event("c", "seat.changed", "2022-03-21T00:00:00Z", """{"change":-2}""")));
        Assert.Equal(50m / 31m, line.Quantity);
        Assert.Equal(50.00m, line.Amount);
    }

    [Fact]
    public void A_weighted_sum_level_below_zero_is_rating_error_RB0914_never_a_silent_zero()
    {
        var rules = Compile("pricing p { charge seats { aggregate weighted_sum unit 1 USD } }");
        var result = Simulate(rules,
            Event("a", "seat.changed", "2022-03-01T00:00:00Z", """{"change":1}"""),
            Event("b", "seat.changed", "2022-03-02T00:00:00Z", """{"change":-2}"""));
        var error = Assert.Single(result.Errors);
        Assert.Equal("RB0914", error.Code);
        Assert.Contains("falls to -1 at event s/b", error.Message);
        Assert.Empty(result.Invoices);
    }

    [Fact]
    public void A_negative_quantity_on_a_max_charge_is_still_RB0903()
    {
        // The outcome is signed because one charge sums it by weight; another charge reading max refuses a negative.
        var rules = Compile("""
            pricing p {
              charge seats { aggregate max unit 1 USD }
            }
            pricing q {
              charge seats { aggregate weighted_sum unit 1 USD }
            }
            """);
        var result = Simulate(rules, Event("a", "seat.changed", "2022-03-01T00:00:00Z", """{"change":-1}"""));
        Assert.Equal("RB0903", Assert.Single(result.Errors).Code);
    }

    private static readonly string[] FlexpriceStorage =
    [
        // Flexprice docs, bucketed MAX per hour: hour 1 has 8 GB and 4 GB, hour 2 has 10, 5 and 9 GB.
        Event("s1", "storage.sampled", "2024-01-15T07:05:00Z", """{"gb":8}"""),
        Event("s2", "storage.sampled", "2024-01-15T07:45:00Z", """{"gb":4}"""),
        Event("s3", "storage.sampled", "2024-01-15T08:00:00Z", """{"gb":10}"""),
        Event("s4", "storage.sampled", "2024-01-15T08:20:00Z", """{"gb":5}"""),
        Event("s5", "storage.sampled", "2024-01-15T08:59:59Z", """{"gb":9}"""),
    ];

    [Fact]
    public void Bucketed_max_reproduces_the_Flexprice_example_8_plus_10_GB_on_slabs_is_34()
    {
        // Slabs 0–5 GB free, 5–10 at 2, over 10 at 3: 18 GB → 0 + 5 × 2 + 8 × 3 = 34.
        var rules = Compile("pricing p { charge storage { aggregate max per hour graduated { up to 5 at 0 INR; up to 10 at 2 INR; rest at 3 INR } } }", "INR");
        var line = ChargeLine(Simulate(rules, FlexpriceStorage));

        Assert.Equal(18m, line.Quantity);
        Assert.Equal(34.00m, line.Amount);
        Assert.Equal(["aggregate", "tier", "tier", "tier"], line.Breakdown.Select(s => s.Kind));
        Assert.Equal("max per hour of 5 outcomes in 2 buckets: 8 in [2024-01-15T07:00:00Z, 2024-01-15T08:00:00Z) + 10 in [2024-01-15T08:00:00Z, 2024-01-15T09:00:00Z) = 18 units",
            line.Breakdown[0].Text);
        Assert.Equal([0m, 10m, 24m], line.Breakdown.Skip(1).Select(s => s.Amount));
        AssertStepsAddUp(line, "INR");
    }

    [Fact]
    public void Priced_separately_each_hour_is_rated_on_its_own_then_summed()
    {
        // Hour 1: max 8 → 3 × 2 = 6; hour 2: max 10 → 5 × 2 = 10; line 16 (not 34: each hour starts at the first slab).
        var rules = Compile("pricing p { charge storage { aggregate max per hour priced separately graduated { up to 5 at 0 INR; up to 10 at 2 INR; rest at 3 INR } } }", "INR");
        var line = ChargeLine(Simulate(rules, FlexpriceStorage));

        Assert.Equal(18m, line.Quantity);
        Assert.Equal(16.00m, line.Amount);
        Assert.Equal(["aggregate", "bucket", "bucket"], line.Breakdown.Select(s => s.Kind));
        Assert.Equal([0m, 6m, 10m], line.Breakdown.Select(s => s.Amount));
        Assert.Equal("[2024-01-15T07:00:00Z, 2024-01-15T08:00:00Z): 8, 5 × 0.00 INR + 3 × 2.00 INR = 6.00 INR", line.Breakdown[1].Text);
        AssertStepsAddUp(line, "INR");
    }

    [Theory]
    [InlineData("max", 10, "10.00")]
    [InlineData("min", 4, "4.00")]
    [InlineData("latest", 9, "9.00")]   // s5 is the last by event time
    [InlineData("count", 5, "5.00")]
    [InlineData("sum", 36, "36.00")]
    public void Each_aggregation_gives_its_quantity_to_the_unit_model(string aggregation, int quantity, string amount)
    {
        var rules = Compile($"pricing p {{ charge storage {{ aggregate {aggregation} unit 1 USD }} }}");
        var line = ChargeLine(Simulate(rules, FlexpriceStorage.Reverse().ToArray()));
        Assert.Equal(quantity, line.Quantity);
        Assert.Equal(decimal.Parse(amount, CultureInfo.InvariantCulture), line.Amount);
        AssertStepsAddUp(line);
    }

    [Fact]
    public void Unique_counts_distinct_users_after_free_units_and_per_day_counts_user_days()
    {
        string[] sessions =
        [
            Event("u1", "session.started", "2022-05-02T09:00:00Z", """{"session_id":"S1","user_id":"alice"}"""),
            Event("u2", "session.started", "2022-05-02T10:00:00Z", """{"session_id":"S2","user_id":"bob"}"""),
            Event("u3", "session.started", "2022-05-02T11:00:00Z", """{"session_id":"S3","user_id":"alice"}"""),
            Event("u4", "session.started", "2022-05-03T09:00:00Z", """{"session_id":"S4","user_id":"alice"}"""),
            Event("u5", "session.started", "2022-05-09T09:00:00Z", """{"session_id":"S5","user_id":"carol"}"""),
        ];
        // Month: alice, bob, carol = 3, one free → 2 × 5 = 10. Per day: {alice, bob} + {alice} + {carol} = 4 user-days × 1 = 4.
        var rules = Compile("""
            pricing p {
              charge session where (user ?? "") != "nobody" { label "Monthly users" aggregate unique of user ?? "" free 1 unit 5 USD }
              charge session { unit 0 USD }
            }
            """);
        var result = Simulate(rules, sessions);
        Assert.Empty(result.Errors);
        var line = Assert.Single(result.Invoices).Lines.Single(l => l.Description == "Monthly users");
        Assert.Equal((3m, 10.00m), (line.Quantity, line.Amount));
        Assert.Equal("unique user ?? \"\" of 5 outcomes: 3 units", line.Breakdown[0].Text);

        var daily = ChargeLine(Simulate(Compile("pricing p { charge session { aggregate unique of user ?? \"\" per day unit 1 USD } }"), sessions));
        Assert.Equal((4m, 4.00m), (daily.Quantity, daily.Amount));
    }

    [Fact]
    public void Free_units_and_the_charge_cap_apply_to_the_aggregated_quantity()
    {
        // max 10 GB, 3 free → 7 × 2 = 14, capped at 12.
        var rules = Compile("pricing p { charge storage { aggregate max free 3 unit 2 USD cap 12 USD } }");
        var line = ChargeLine(Simulate(rules, FlexpriceStorage));
        Assert.Equal((10m, 12.00m), (line.Quantity, line.Amount));
        Assert.Equal(["aggregate", "free", "unit", "cap"], line.Breakdown.Select(s => s.Kind));
        AssertStepsAddUp(line);
    }

    [Fact]
    public void Usage_reads_the_same_aggregated_quantity_as_the_invoice_line()
    {
        var rules = Compile("pricing p { charge storage { aggregate max per hour unit 1 USD } charge seats { aggregate weighted_sum unit 1 USD } }");
        string[] events = [.. FlexpriceStorage, Event("a", "seat.changed", "2024-01-16T00:00:00Z", """{"change":20}"""), Event("b", "seat.changed", "2024-01-17T00:00:00Z", """{"change":10}""")];
        var invoice = Assert.Single(Simulate(rules, events).Invoices);

        using var store = new RulesBilling.Engine.Storage.InMemoryBillingStore();
        EngineFixture.Ingest(store, rules, new TestClock(At("2024-01-20T00:00:00Z")), events);
        var activity = CustomerActivity.From(rules, "acme", store.ReadEvents(EngineFixture.T, "acme"));
        var period = activity.PeriodAt(At("2024-01-20T00:00:00Z"), [])!;
        var usage = AggregatedUsages.Of(activity.ForInvoice(period));

        Assert.Equal(
            invoice.Lines.Where(l => l.Kind == LineKind.Charge).Select(l => (l.Description, l.Quantity)).OrderBy(x => x.Description, StringComparer.Ordinal),
            usage.Select(u => (u.Charge, u.Billable)).OrderBy(x => x.Charge, StringComparer.Ordinal));
        Assert.Equal([18m, 470m / 31m], usage.Select(u => u.Billable));
        Assert.Equal([10m, 8m], usage[0].Buckets.Select(b => b.Quantity).Reverse());
    }
}
