using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Payments;

/// <summary>
/// A discounted, taxed invoice (docs/dsl-spec.md §9.14, §9.15) reaches Stripe and Razorpay as our lines: the coupon as a
/// negative item on Stripe, folded into the largest item on Razorpay (its line items take no negative amount), an
/// exclusive tax as an item of its own (both providers take plain items; Stripe's tax rates would
/// recompute the tax with Stripe's rounding), an inclusive tax inside the items; the provider total is ours.
/// </summary>
public sealed class TaxedInvoicePushTests
{
    private static Invoice Taxed(bool inclusive)
    {
        var coupon = new ActiveCoupon(new AttachedCoupon(new CouponRule("launch20", "Launch discount", null, 0.20m, null, CouponDuration.Periods, 3),
            CouponDuration.Periods, 3, new DateOnly(2026, 1, 1), []), 1, 3);
        var request = Request(Segment(Plan([Charge("call", Unit(2.50m))], baseFee: 100m), Many("call", 7))) with
        {
            Coupons = [coupon],
            Taxes = [new TaxRule("vat", "VAT", 0.20m, inclusive, "GB")],
        };
        return InvoiceAssembler.Assemble(request with { Tenant = PaymentHarness.Tenant }) with { Number = "INV-000001", Status = InvoiceStatus.Finalized };
    }

    [Theory]
    [InlineData(PaymentProvider.Stripe)]
    [InlineData(PaymentProvider.Razorpay)]
    public async Task An_exclusive_tax_and_a_coupon_arrive_as_items_and_the_total_is_ours(PaymentProvider provider)
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", provider);
        // 100 + 7 × 2.50 = 117.50; −20% = −23.50; VAT 20.00 + 3.50 − 4.70 = 18.80; total 112.80 USD.
        var invoice = harness.Finalize(Taxed(inclusive: false));
        Assert.Equal(112.80m, invoice.Total);

        var result = await harness.Worker().RunOnceAsync();

        Assert.Equal(SyncStatus.Done, Assert.Single(result.Processed).Status);
        var remote = Assert.Single(RemoteView.Of(harness, provider, invoice));
        Assert.Equal(provider == PaymentProvider.Stripe ? [10000L, 1750L, -2350L, 1880L] : [7650L, 1750L, 1880L], remote.Lines.Select(l => l.Amount));
        Assert.Equal(11280L, remote.Total);
        if (provider == PaymentProvider.Stripe)
            Assert.Equal(invoice.Lines.Select(l => l.Id), remote.Lines.Select(l => l.LineId));
    }

    [Theory]
    [InlineData(PaymentProvider.Stripe)]
    [InlineData(PaymentProvider.Razorpay)]
    public async Task An_inclusive_tax_adds_no_item(PaymentProvider provider)
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", provider);
        var invoice = harness.Finalize(Taxed(inclusive: true));

        await harness.Worker().RunOnceAsync();

        var remote = Assert.Single(RemoteView.Of(harness, provider, invoice));
        Assert.Equal(provider == PaymentProvider.Stripe ? [10000L, 1750L, -2350L] : [7650L, 1750L], remote.Lines.Select(l => l.Amount));
        Assert.Equal(9400L, remote.Total);
    }

    [Fact]
    public async Task Razorpay_gets_the_coupon_folded_into_the_base_fee_item_which_says_so()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Razorpay);
        var invoice = harness.Finalize(Taxed(inclusive: false));

        await harness.Worker().RunOnceAsync();

        var remote = Assert.Single(harness.Razorpay.Invoices);
        var items = remote["line_items"]!.AsArray();
        Assert.Equal(3, items.Count);
        Assert.EndsWith("(net of 23.50 USD: Launch discount)", items[0]!["name"]!.GetValue<string>());
        Assert.Equal(11280L, remote["amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_fake_razorpay_refuses_a_negative_line_item_as_the_real_api_is_taken_to()
    {
        using var harness = new PaymentHarness();
        using var http = new HttpClient();
        var client = new RazorpayClient(http, new ProviderAccount(PaymentHarness.Tenant, PaymentProvider.Razorpay, PaymentHarness.RazorpayKeyId,
            PaymentHarness.RazorpaySecret, PaymentHarness.WebhookSecret, harness.Razorpay.BaseUrl));
        var customer = await client.CreateCustomerAsync("Acme Ltd", "billing@example.test", null, new Dictionary<string, string>(), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RazorpayException>(() => client.CreateDraftInvoiceAsync(customer.Id, "USD", "R-1", "test",
            [new RazorpayLineItem("Base", "l1", 10000, "USD", 1), new RazorpayLineItem("Coupon", "l2", -2350, "USD", 1)],
            new Dictionary<string, string>(), CancellationToken.None));

        Assert.Contains("The amount must be greater than or equal to 0.", refused.Message);
        Assert.Empty(harness.Razorpay.Invoices);
    }
}
