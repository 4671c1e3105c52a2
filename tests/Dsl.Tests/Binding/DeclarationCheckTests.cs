using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Binding;

/// <summary>Declaration, pricing and contract checks beyond the one-mistake corpus: edge cases and combinations.</summary>
public class DeclarationCheckTests
{
    private const string Base = """
        event order.paid {
          order_id: string
          total: money USD
          region: string?
        }
        event order.refunded {
          order: integer
        }
        outcome sale from order.paid {
          key order_id
          value total
          dimensions { region: region }
        }

        """;

    private static string Codes(string rules)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("t.rules", Base + rules)]);
        Assert.Equal(compilation.Diagnostics.Count == 0, compilation.Success);
        return string.Join(" ", compilation.Diagnostics.Select(d => d.Code));
    }

    private static string Contract(string name, int version, string dates, string body) =>
        $"contract {name} version {version} effective {dates} {{\n{body}\n}}\n";

    private const string Plan = "pricing p {\n  charge sale {\n    unit 1 USD\n  }\n}\n";

    [Theory]
    [InlineData("", "")]
    [InlineData("contract c version 2 effective 2026-03-01 {\n customers default\n pricing p\n}\n", "")]
    [InlineData("contract c version 2 effective 2026-01-01 {\n customers default\n pricing p\n}\n", "RB0404")]
    [InlineData("contract c version 2 effective 2026-02-01 {\n customers default\n pricing p\n}\n", "RB0404")]
    [InlineData("contract c version 0 effective 2026-03-01 {\n customers default\n pricing p\n}\n", "RB0405")]
    public void Contract_versions_must_follow_each_other(string second, string codes) =>
        Assert.Equal(codes, Codes(Plan + "contract c version 1 effective 2026-01-01 until 2026-03-01 {\n customers default\n pricing p\n}\n" + second));

    [Fact]
    public void Until_must_be_after_effective() =>
        Assert.Equal("RB0404", Codes(Plan + Contract("c", 1, "2026-03-01 until 2026-03-01", "customers default\npricing p")));

    [Theory]
    [InlineData("2026-01-01 until 2026-06-01", "2026-06-01", "")]
    [InlineData("2026-01-01 until 2026-06-02", "2026-06-01", "RB0406")]
    [InlineData("2026-01-01", "2027-01-01", "RB0406")]
    public void A_customer_may_move_between_contracts_but_not_be_in_two_at_once(string first, string second, string codes) =>
        Assert.Equal(codes, Codes(Plan
            + Contract("a", 1, first, "customers \"acme\"\npricing p")
            + Contract("b", 1, second, "customers \"acme\"\npricing p")));

    [Fact]
    public void Only_one_default_contract_at_a_time() =>
        Assert.Equal("RB0406", Codes(Plan
            + Contract("a", 1, "2026-01-01", "customers default\npricing p")
            + Contract("b", 1, "2026-05-01", "customers default\npricing p")));

    [Theory]
    [InlineData("period monthly anchor 31", "")]
    [InlineData("period monthly anchor 0", "RB0407")]
    [InlineData("period monthly anchor 32", "RB0407")]
    [InlineData("period \"P2W\"", "")]
    [InlineData("period \"P1Y6M\"", "")]
    [InlineData("period \"P0D\"", "RB0407")]
    [InlineData("period \"PT1H\"", "RB0407")]
    [InlineData("currency XYZ", "RB0105")]
    [InlineData("currency EUR", "RB0402")]
    [InlineData("period monthly\nperiod monthly", "RB0109")]
    public void Contract_items_are_checked(string item, string codes) =>
        Assert.Equal(codes, Codes(Plan + Contract("c", 1, "2026-01-01", "customers default\npricing p\n" + item)));

    [Fact]
    public void Contract_without_customers_or_pricing_reports_both() =>
        Assert.Equal("RB0108 RB0108", Codes(Plan + Contract("c", 1, "2026-01-01", "currency USD")));

    [Theory]
    [InlineData("unit 1 USD\nfree 2\nfree 3", "RB0109")]
    [InlineData("unit 1 USD\ncap 5 USD\ncap 6 USD", "RB0109")]
    [InlineData("unit 1 USD, 2 USD", "RB0103")]
    [InlineData("free 2.5\nunit 1 USD", "RB0309")]
    [InlineData("package 2.5 at 1 USD round down", "RB0309")]
    [InlineData("graduated {\n up to 0 at 1 USD\n rest at 0.5 USD\n}", "RB0301")]
    [InlineData("graduated {\n up to 10 at 1 USD\n up to 10 at 0.9 USD\n rest at 0.5 USD\n}", "RB0301")]
    [InlineData("volume {\n rest at 1 USD\n up to 10 at 0.5 USD\n}", "RB0302 RB0302")]
    [InlineData("percent 2% of value min 1 USD max 1 USD", "")]
    [InlineData("percent 2% of value max 1 USD", "")]
    public void Charge_models_are_checked(string clauses, string codes) =>
        Assert.Equal(codes, Codes($"pricing p {{\n charge sale {{\n{clauses}\n }}\n}}\n"));

    [Theory]
    [InlineData("where region == \"eu\"", "RB0204")]
    [InlineData("where (region ?? \"\") == \"eu\"", "")]
    [InlineData("where country == \"eu\"", "RB0102")]
    [InlineData("where 1", "RB0201")]
    public void Charge_filters_are_checked(string filter, string codes) =>
        Assert.Equal(codes, Codes($"pricing p {{\n charge sale {filter} {{\n unit 1 USD\n }}\n}}\n"));

    [Theory]
    [InlineData("key order_id\nhold 3d reversed by order.refunded on order", "RB0201")]
    [InlineData("key order_id\nhold 3d reversed by order.refunded on order_id", "RB0102")]
    [InlineData("key order_id\nhold 3d reversed by order.voided on order_id", "RB0101")]
    [InlineData("key total", "RB0201")]
    [InlineData("quantity order_id", "RB0201")]
    [InlineData("when region", "RB0201 RB0204")]
    [InlineData("dimensions { r: total }", "RB0201")]
    [InlineData("split r { 100% to region }", "")]
    [InlineData("split r { 0% to \"a\", 100% to \"b\" }", "RB0303")]
    [InlineData("split r { 50% to \"a\", 50% to 1 }", "RB0201")]
    [InlineData("key order_id\nkey order_id", "RB0109")]
    public void Outcome_clauses_are_checked(string clauses, string codes) =>
        Assert.Equal(codes, Codes($"outcome other from order.paid {{\n{clauses}\n}}\n"));

    [Fact]
    public void A_percent_charge_bills_in_the_currency_of_the_outcome_value()
    {
        Assert.Equal("", Codes("pricing p {\n charge sale {\n percent 2% of value\n }\n}\n" + Contract("c", 1, "2026-01-01", "customers default\npricing p")));
        Assert.Equal("RB0202", Codes("pricing p {\n charge sale {\n percent 2% of value\n }\n}\n" + Contract("c", 1, "2026-01-01", "customers default\npricing p\ncurrency EUR")));
    }

    [Fact]
    public void Guards_are_checked_for_every_currency_of_the_plan()
    {
        const string plan = "pricing p {{\n charge sale {{\n unit 1 USD, 1 EUR\n }}\n guard g: {0} then alert\n}}\n";
        Assert.Equal("", Codes(string.Format(plan, "revenue() < cost() or margin(sale) < 10%")));
        Assert.Equal("RB0202", Codes(string.Format(plan, "revenue() > 100 USD")));
        Assert.Equal("RB0104", Codes(string.Format(plan, "count(refund) > 1")));
        Assert.Equal("RB0103", Codes("pricing p {\n charge sale {\n unit 1 USD\n }\n guard g: count() > 1 then alert\n guard g: count() > 2 then hold\n}\n"));
    }

    [Fact]
    public void Several_mistakes_are_all_reported_in_source_order() =>
        Assert.Equal("RB0102 RB0203 RB0104 RB0105", Codes("""
            outcome x from order.paid {
              when nope
              value total * total
            }
            pricing p {
              charge y {
                unit 1 ABC
              }
            }
            """));

    [Fact]
    public void Declarations_are_global_across_files()
    {
        var events = new SourceText("a/events.rules", Base);
        var pricing = new SourceText("b/pricing.rules", Plan + Contract("c", 1, "2026-01-01", "customers default\npricing p"));
        var compilation = RuleSetCompiler.Compile([pricing, events]);
        Assert.True(compilation.Success, compilation.Render());
        Assert.Equal("b/pricing.rules", compilation.RuleSet!.Contracts.Single().SourceFile);

        var duplicate = RuleSetCompiler.Compile([pricing, events, new SourceText("c/again.rules", Plan)]);
        var diagnostic = Assert.Single(duplicate.Diagnostics);
        Assert.Equal("c/again.rules:1:9: error RB0103: pricing 'p' is already declared at b/pricing.rules:1:9; rename or remove one of them", diagnostic.Headline);
    }
}
