using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Binding;

/// <summary>Coupons, taxes and the contract clauses that attach them (docs/dsl-spec.md §9.14, §9.15): the model they compile to and every checker code.</summary>
public sealed class AdjustmentCheckTests
{
    private const string Reviews = """
        event review.done {
          pr_id: string
        }

        outcome review from review.done {
          key pr_id
        }

        pricing p {
          base 100 USD, 90 EUR
          charge review {
            unit 4 USD, 3.60 EUR
          }
        }

        """;

    private const string Declarations = """
        coupon launch20 {
          percent 20%
          for 3 periods
          label "Launch discount"
          description "20% off your first three months."
        }

        coupon welcome {
          amount 50 USD
          once
        }

        tax us_ca {
          rate 7.25% exclusive
          jurisdiction "US-CA"
        }

        tax vat_inc {
          rate 20% inclusive
        }

        """;

    private static RuleSetCompilation Compile(string text) => RuleSetCompiler.Compile([new SourceText("a.rules", text)]);

    private static string Contract(string body, string header = "contract c version 1 effective 2026-01-01", string customers = "\"acme\", \"globex\"") => $$"""
        {{header}} {
          customers {{customers}}
          pricing p
          currency USD
        {{body}}
        }
        """;

    [Fact]
    public void Coupons_and_taxes_reach_the_compiled_contract_with_their_clause_options()
    {
        var compiled = Compile(Reviews + Declarations + Contract(
            "  coupon launch20\n  coupon welcome customers \"acme\" for 2 periods from 2026-03-01\n  tax us_ca customers \"globex\""));

        Assert.True(compiled.Success, compiled.Render());
        var contract = Assert.Single(compiled.RuleSet!.Contracts);
        Assert.Collection(contract.Coupons,
            c =>
            {
                Assert.Equal(("launch20", "Launch discount", "20% off your first three months."), (c.Coupon.Name, c.Coupon.Label, c.Coupon.Description));
                Assert.Equal(0.2m, c.Coupon.Percent);
                Assert.Null(c.Coupon.Amount);
                Assert.Equal((CouponDuration.Periods, 3, new DateOnly(2026, 1, 1)), (c.Duration, c.Periods, c.From));
                Assert.Empty(c.Customers);
            },
            c =>
            {
                Assert.Equal(("welcome", "Welcome", 50m), (c.Coupon.Name, c.Coupon.Label, c.Coupon.Amount!.In("USD")));
                Assert.Equal((CouponDuration.Once, CouponDuration.Periods, 2, new DateOnly(2026, 3, 1)), (c.Coupon.Duration, c.Duration, c.Periods, c.From));
                Assert.Equal(["acme"], c.Customers);
                Assert.True(c.AppliesTo("acme"));
                Assert.False(c.AppliesTo("globex"));
            });
        var tax = Assert.Single(contract.Taxes);
        Assert.Equal(new TaxRule("us_ca", "Us ca", 0.0725m, false, "US-CA"), tax.Tax with { Label = ReadableText.Humanize("us_ca") });
        Assert.Equal(["globex"], tax.Customers);
    }

    [Fact]
    public void A_contract_without_coupons_or_taxes_has_none()
    {
        var compiled = Compile(Reviews + Declarations + Contract(""));

        var contract = Assert.Single(compiled.RuleSet!.Contracts);
        Assert.Equal((0, 0), (contract.Coupons.Count, contract.Taxes.Count));
    }

    [Fact]
    public void The_words_of_coupons_and_taxes_stay_usable_as_field_names()
    {
        var compiled = Compile("""
            event sale.done {
              tax: decimal
              rate: decimal
              coupon: string
              once: bool
            }

            outcome sale from sale.done {
              key coupon
              quantity tax * rate
            }
            """);

        Assert.True(compiled.Success, compiled.Render());
    }

    [Fact]
    public void The_printer_writes_coupons_taxes_and_their_clauses_back_to_the_same_tree()
    {
        var text = Reviews + Declarations + Contract(
            "  coupon launch20 forever\n  coupon welcome customers \"acme\" once from 2026-03-01\n  tax us_ca customers \"globex\"");
        var parsed = RuleParser.Parse(new SourceText("a.rules", text));
        Assert.Empty(parsed.Diagnostics);

        var printed = RulePrinter.Print(parsed.File);
        var reparsed = RuleParser.Parse(new SourceText("b.rules", printed));

        Assert.Empty(reparsed.Diagnostics);
        Assert.Equal(printed, RulePrinter.Print(reparsed.File));
        Assert.Contains("coupon welcome customers \"acme\" once from 2026-03-01\n", printed);
        Assert.Contains("  rate 7.25% exclusive\n  jurisdiction \"US-CA\"\n", printed);
        Assert.Contains("  for 3 periods\n", printed);
    }

    [Theory]
    [InlineData("  coupon launch2O",
        "error RB0701: unknown coupon 'launch2O' (did you mean 'launch20'?) in contract 'c' version 1; declared coupons: launch20, welcome")]
    [InlineData("  tax us_cb",
        "error RB0702: unknown tax 'us_cb' (did you mean 'us_ca'?) in contract 'c' version 1; declared taxes: us_ca, vat_inc")]
    [InlineData("  tax us_ca\n  tax vat_inc",
        "error RB0710: contract 'c' version 1 attaches inclusive tax 'vat_inc' and exclusive tax 'us_ca'; its prices either include tax or they do not — make them all inclusive or all exclusive")]
    [InlineData("  coupon welcome\n  coupon welcome for 2 periods",
        "error RB0711: coupon 'welcome' is attached twice to contract 'c' version 1 (first at a.rules:{0}); keep one clause")]
    [InlineData("  tax us_ca customers \"acme\", \"globx\"",
        "error RB0713: tax 'us_ca' names customer \"globx\" (did you mean \"globex\"?), but contract 'c' version 1 does not bill it; its customers: \"acme\", \"globex\"")]
    [InlineData("  coupon launch20 from 2025-12-01",
        "error RB0714: coupon 'launch20' starts on 2025-12-01, but contract 'c' version 1 is in force from 2026-01-01; start it inside that range, or attach it to the version in force then")]
    [InlineData("  coupon launch20 for 0 periods",
        "error RB0707: a coupon runs for a whole number of periods from 1 to 1200, not 0; write 'once' for one period or 'forever'")]
    public void Bad_clauses_are_diagnostics_with_exact_messages(string body, string expected)
    {
        var text = Reviews + Declarations + Contract(body);
        var compiled = Compile(text);

        var diagnostic = Assert.Single(compiled.Diagnostics);
        // The first clause of the contract body: where "first at" points.
        var first = new SourceText("a.rules", text).GetLineColumn(text.IndexOf(body.TrimStart(), StringComparison.Ordinal));
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, $"{first.Line}:{first.Column}"),
            $"error {diagnostic.Code}: {diagnostic.Message}");
    }

    [Fact]
    public void An_unknown_coupon_is_reported_at_its_name()
    {
        var text = Reviews + Declarations + Contract("  coupon launch2O");
        var compiled = Compile(text);

        var (line, column) = new SourceText("a.rules", text).GetLineColumn(text.IndexOf("launch2O", StringComparison.Ordinal));
        Assert.StartsWith($"a.rules:{line}:{column}: error RB0701: unknown coupon 'launch2O' (did you mean 'launch20'?)", compiled.Render());
    }

    [Fact]
    public void A_fixed_coupon_needs_the_contract_currency()
    {
        var compiled = Compile(Reviews + Declarations + Contract("  coupon welcome").Replace("currency USD", "currency EUR"));

        var diagnostic = Assert.Single(compiled.Diagnostics);
        Assert.Equal("RB0706", diagnostic.Code);
        Assert.Equal("coupon 'welcome' has no amount in EUR, the currency of contract 'c' version 1; add one, e.g. 'amount …, 50 EUR'", diagnostic.Message);
    }

    [Fact]
    public void A_default_contract_may_attach_a_coupon_to_any_customer()
    {
        var compiled = Compile(Reviews + Declarations + Contract("  coupon welcome customers \"anyone\"", customers: "default"));

        Assert.True(compiled.Success, compiled.Render());
    }

    [Theory]
    [InlineData("coupon x {\n  forever\n}", "RB0703: coupon 'x' has no value; add 'percent 10%' for a percentage or 'amount 50 USD' for a fixed discount")]
    [InlineData("coupon x {\n  percent 10%\n  amount 5 USD\n  once\n}", "RB0703: coupon 'x' already has a value at a.rules:{0}; a coupon is either a percentage or a fixed amount — declare a second coupon for the other")]
    [InlineData("coupon x {\n  percent 0%\n  once\n}", "RB0704: a percentage coupon takes more than 0% and at most 100%, not 0%")]
    [InlineData("coupon x {\n  percent 100.5%\n  once\n}", "RB0704: a percentage coupon takes more than 0% and at most 100%, not 100.5%")]
    [InlineData("coupon x {\n  amount 0 USD\n  once\n}", "RB0705: a fixed coupon takes an amount greater than 0, not 0 USD")]
    [InlineData("coupon x {\n  amount 5 USD, 6 USD\n  once\n}", "RB0103: this price list gives a price in USD twice")]
    [InlineData("coupon x {\n  percent 10%\n}", "RB0707: coupon 'x' has no duration; add 'once', 'for 3 periods' or 'forever'")]
    [InlineData("coupon x {\n  once\n  percent 10%\n  forever\n}", "RB0707: coupon 'x' already has a duration at a.rules:{0}; keep only one")]
    [InlineData("coupon x {\n  percent 10%\n  for 1.5 periods\n}", "RB0707: a coupon runs for a whole number of periods from 1 to 1200, not 1.5")]
    [InlineData("coupon x {\n  percent 10%\n  once\n  label \"\"\n}", "RB0310: the label of coupon 'x' is empty")]
    [InlineData("tax x {\n  jurisdiction \"GB\"\n}", "RB0708: tax 'x' has no rate; add e.g. 'rate 20% exclusive' (added to the lines) or 'rate 20% inclusive' (already inside the prices)")]
    [InlineData("tax x {\n  rate 101% exclusive\n}", "RB0708: a tax rate is from 0% to 100%, not 101%")]
    [InlineData("tax x {\n  rate 5% exclusive\n  rate 6% exclusive\n}", "RB0708: tax 'x' already has a rate at a.rules:{0}; declare a second tax for a second rate")]
    [InlineData("tax x {\n  rate 20% inclusiv\n}", "RB0709: 'inclusiv' is not a tax mode (did you mean 'inclusive'?); write 'exclusive' (the tax is added to the lines) or 'inclusive' (the prices already include it)")]
    [InlineData("tax x {\n  rate 20% exclusive\n  jurisdiction \"gb\"\n}", "RB0712: \"gb\" is not a jurisdiction; use an ISO 3166 country code such as \"GB\" or \"DE\", or a subdivision such as \"US-CA\"")]
    [InlineData("tax x {\n  jurisdiction \"GB\"\n  rate 20% exclusive\n  jurisdiction \"IE\"\n}", "RB0712: tax 'x' already has a jurisdiction at a.rules:{0}; declare one tax per jurisdiction")]
    [InlineData("coupon welcome {\n  percent 10%\n  once\n}\ncoupon welcome {\n  percent 5%\n  once\n}", "RB0103: coupon 'welcome' is already declared at a.rules:{0}")]
    public void Bad_declarations_are_diagnostics_with_exact_messages(string declaration, string expected)
    {
        var text = Reviews + declaration + "\n";
        var compiled = Compile(text);

        Assert.False(compiled.Success);
        // "{0}" stands for where the earlier item is: the declaration's second line (its first item), or its name for RB0103.
        var earlier = expected.StartsWith("RB0103", StringComparison.Ordinal)
            ? text.IndexOf("welcome", Reviews.Length, StringComparison.Ordinal)
            : text.IndexOf('\n', Reviews.Length) + 3;
        var (line, column) = new SourceText("a.rules", text).GetLineColumn(earlier);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, $"{line}:{column}"), compiled.Render());
    }

    [Fact]
    public void A_broken_coupon_is_reported_once_not_again_at_every_clause()
    {
        var compiled = Compile(Reviews + "coupon x {\n  percent 120%\n  once\n}\n" + Contract("  coupon x"));

        var diagnostic = Assert.Single(compiled.Diagnostics);
        Assert.Equal("RB0704", diagnostic.Code);
    }
}
