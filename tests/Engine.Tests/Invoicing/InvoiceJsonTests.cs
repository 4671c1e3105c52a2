using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Invoicing;

public sealed class InvoiceJsonTests
{
    private static Invoice Sample()
    {
        Dictionary<string, string?> Team(string t) => new() { ["team"] = t };
        var plan = Plan([Charge("tokens", Graduated(StandardTiers), free: 10m)], baseFee: 49.5m,
            guards: [Guard("low-margin", c => c.Margin(null) < 0.5m, GuardActionType.Alert)]);
        var outcomes = new[] { Outcome("tokens", 1, 60m, dimensions: Team("a")), Outcome("tokens", 2, 51m, dimensions: Team("b")) };
        var excluded = new[] { new ExcludedEvent("test/e0009", "tokens", ExclusionReasons.DuplicateKey, null) };
        return Assemble(Segment(plan, outcomes, excluded: excluded, costs: [new SegmentCost("tokens", "USD", 5m)]));
    }

    [Fact]
    public void Writes_the_documented_shape()
    {
        // tokens: 111 − 10 free = 101 billed → 100 × 0.10 + 1 × 0.08 = 10.08; base 49.50; subtotal 59.58
        using var json = JsonDocument.Parse(InvoiceJson.Serialize(Sample()));
        var root = json.RootElement;
        Assert.Equal(
            ["customer", "contract", "version", "versions", "currency", "period", "status", "lines", "guards", "subtotal", "credits", "total",
             "creditApplications", "number", "kind", "corrects", "id", "tenant", "ruleSetHash"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-01-01T00:00:00Z", root.GetProperty("period").GetProperty("from").GetString());
        Assert.Equal("2026-02-01T00:00:00Z", root.GetProperty("period").GetProperty("to").GetString());
        Assert.Equal("draft", root.GetProperty("status").GetString());
        Assert.Equal("invoice", root.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("number").ValueKind);
        Assert.Equal("59.58", root.GetProperty("subtotal").GetString());
        Assert.Equal("0.00", root.GetProperty("credits").GetString());
        Assert.Equal("59.58", root.GetProperty("total").GetString());

        var lines = root.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(["base", "charge"], lines.Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal("49.50", lines[0].GetProperty("amount").GetString());
        var charge = lines[1];
        Assert.Equal(
            ["id", "kind", "description", "explanation", "rule", "contract", "version", "ruleFileHash", "segment", "quantity", "unitPrice", "amount",
             "tiers", "breakdown", "events", "pending", "excluded", "attribution", "note"],
            charge.EnumerateObject().Select(p => p.Name));
        Assert.Equal("111", charge.GetProperty("quantity").GetString());
        Assert.Equal(JsonValueKind.Null, charge.GetProperty("unitPrice").ValueKind);
        Assert.Equal("10.08", charge.GetProperty("amount").GetString());
        // Free units are a step of the breakdown now, not a note; the steps add up to the amount.
        Assert.Equal(JsonValueKind.Null, charge.GetProperty("note").ValueKind);
        Assert.Equal(
            [
                ("free", "10 of 111 units free (10 included)", "10", (string?)null, "0.00"),
                ("tier", "first 100: 100 × 0.10 USD = 10.00 USD", "100", "0.10", "10.00"),
                ("tier", "over 100 up to 1000: 1 × 0.08 USD = 0.08 USD", "1", "0.08", "0.08"),
            ],
            charge.GetProperty("breakdown").EnumerateArray().Select(b => (b.GetProperty("kind").GetString(), b.GetProperty("text").GetString(),
                b.GetProperty("quantity").GetString(), b.GetProperty("unitPrice").GetString(), b.GetProperty("amount").GetString())));
        var tiers = charge.GetProperty("tiers").EnumerateArray().ToList();
        Assert.Equal(["0", "100", "100", "0.10", "10.00"], new[] { "from", "upTo", "quantity", "unitPrice", "amount" }.Select(p => tiers[0].GetProperty(p).GetString()));
        Assert.Equal(["100", "1000", "1", "0.08", "0.08"], new[] { "from", "upTo", "quantity", "unitPrice", "amount" }.Select(p => tiers[1].GetProperty(p).GetString()));
        Assert.Equal(["test/e0001", "test/e0002"], charge.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        var excluded = Assert.Single(charge.GetProperty("excluded").EnumerateArray());
        Assert.Equal("duplicate-key", excluded.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, excluded.GetProperty("detail").ValueKind);
        // attribution by billed quantity: a 50 of 101, b 51 of 101 → 10.08 × 50/101 = 4.990… → 4.99; b 5.090… → 5.09
        Assert.Equal([("a", "4.99"), ("b", "5.09")],
            charge.GetProperty("attribution").EnumerateArray().Select(a => (a.GetProperty("value").GetString(), a.GetProperty("amount").GetString())));

        var guard = Assert.Single(root.GetProperty("guards").EnumerateArray());
        Assert.Equal(["guard", "label", "description", "condition", "action", "triggered", "detail"], guard.EnumerateObject().Select(p => p.Name));
        // margin (10.08 − 5.00) / 10.08 = 50.4% → "margin < 50%" does not hold
        Assert.False(guard.GetProperty("triggered").GetBoolean());
        Assert.Equal("revenue 10.08 USD, count 2, cost 5.00 USD, margin 50.4%", guard.GetProperty("detail").GetString());
    }

    [Fact]
    public void Credits_are_written_with_their_grants()
    {
        var credited = CreditApplier.ApplyTo(Sample(),
            [new GrantBalance(CreditApplierTests.Grant("promo", 9.58m), 9.58m)], Feb1).Invoice;
        using var json = JsonDocument.Parse(InvoiceJson.Serialize(credited));
        Assert.Equal("9.58", json.RootElement.GetProperty("credits").GetString());
        Assert.Equal("50.00", json.RootElement.GetProperty("total").GetString());
        var application = Assert.Single(json.RootElement.GetProperty("creditApplications").EnumerateArray());
        Assert.Equal("promo", application.GetProperty("grant").GetString());
    }

    [Fact]
    public void Same_invoice_gives_byte_identical_json() =>
        Assert.Equal(InvoiceJson.SerializeToUtf8Bytes(Sample()), InvoiceJson.SerializeToUtf8Bytes(Sample()));

    [Fact]
    public void Yen_amounts_have_no_decimals()
    {
        var plan = Plan([Charge("r", Unit(0.5m, "JPY"), currency: "JPY")], baseFee: 1000m, currency: "JPY");
        var json = InvoiceJson.Serialize(InvoiceAssembler.Assemble(Request("JPY", Segment(plan, Many("r", 3)))));
        Assert.Contains("\"subtotal\": \"1002\"", json);
        Assert.Contains("\"unitPrice\": \"0.5\"", json);
    }
}
