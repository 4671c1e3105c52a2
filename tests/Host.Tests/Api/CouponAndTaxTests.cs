using System.Net;
using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

/// <summary>Coupons and taxes over HTTP (docs/dsl-spec.md §9.14, §9.15): preview and finalize carry the coupon line and the tax fields.</summary>
public sealed class CouponAndTaxTests
{
    private const string Rules = """
        event review.done {
          pr_id: string
        }
        outcome review from review.done {
          key pr_id
        }
        pricing reviews {
          base 100 USD
          charge review {
            unit 2.50 USD
          }
        }
        coupon launch20 {
          percent 20%
          for 3 periods
        }
        tax us_ca {
          rate 7.25% exclusive
          jurisdiction "US-CA"
        }
        contract reviews version 1 effective 2026-01-01 {
          customers default
          pricing reviews
          currency USD
          coupon launch20
          tax us_ca
        }
        """;

    private static string Review(string id, string time) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"bot","type":"review.done","subject":"cust-1","time":"{{{time}}}","data":{"pr_id":"{{{id}}}"}}""";

    [Fact]
    public async Task Preview_and_finalize_carry_the_coupon_line_and_the_tax_per_line_and_in_totals()
    {
        await using var server = await ApiServer.StartAsync();
        var client = await server.TenantAsync("acme");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(Rules))).StatusCode);
        await client.PostAsync("/v1/events", EventTests.Batch(Review("r1", "2026-02-03T10:00:00Z"), Review("r2", "2026-02-04T10:00:00Z")));

        var preview = await ApiServer.ReadJsonAsync(await client.GetAsync("/v1/customers/cust-1/invoices/preview?at=2026-02-20T00:00:00Z"));
        var finalized = await client.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-02-01T00:00:00Z" });

        // 100 + 5 = 105; launch20 period 2 of 3: −21.00; tax 7.25% per line: 7.25 + 0.36 − 1.52 = 6.09; total 90.09.
        var draft = preview["invoices"]!.AsArray().Single()!;
        Assert.Equal(["base", "charge", "coupon", "tax"], draft["lines"]!.AsArray().Select(l => l!["kind"]!.GetValue<string>()));
        Assert.Equal(["100.00", "5.00", "-21.00", "6.09"], draft["lines"]!.AsArray().Select(l => l!["amount"]!.GetValue<string>()));
        Assert.Equal("coupon, period 2 of 3", draft["lines"]![2]!["note"]!.GetValue<string>());
        Assert.Equal(["7.25", "0.36", "-1.52"], draft["lines"]!.AsArray().Take(3).Select(l => l!["taxes"]![0]!["amount"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, finalized.StatusCode);
        var invoice = await ApiServer.ReadJsonAsync(finalized);
        var tax = invoice["taxes"]!.AsArray().Single()!;
        Assert.Equal(("us_ca", "7.25%", "exclusive", "US-CA", "84.00", "6.09"),
            (tax["tax"]!.GetValue<string>(), tax["rate"]!.GetValue<string>(), tax["mode"]!.GetValue<string>(),
                tax["jurisdiction"]!.GetValue<string>(), tax["taxable"]!.GetValue<string>(), tax["amount"]!.GetValue<string>()));
        Assert.Equal("90.09", invoice["total"]!.GetValue<string>());
    }
}
