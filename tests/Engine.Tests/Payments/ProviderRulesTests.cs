using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Tests.Payments.Fakes;

namespace RulesBilling.Engine.Tests.Payments;

/// <summary>The providers' rules the sync must respect, checked against the fakes that enforce them.</summary>
public sealed class ProviderRulesTests
{
    [Fact]
    public async Task Stripe_objects_are_found_through_list_endpoints_never_Search()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Stripe, email: "billing@acme.example");
        // The customer exists at Stripe already (another node, a restored database): our mapping does not know it.
        using var http = new HttpClient();
        var existing = await StripeAsync(http, harness, HttpMethod.Post, "/v1/customers",
            "email=billing%40acme.example&metadata[engine_tenant]=t1&metadata[engine_customer_id]=acme");
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));

        Assert.Equal(SyncStatus.Done, Assert.Single((await harness.Worker().RunOnceAsync()).Processed).Status);
        var findings = await new Reconciler(harness.Billing, harness.Payments, http).RunAsync(PaymentHarness.Tenant);

        Assert.Equal(1, harness.Stripe.CustomerCount);
        Assert.Equal(existing["id"]!.GetValue<string>(), harness.Stripe.Invoices.Single().Customer);
        Assert.Empty(findings);
        Assert.DoesNotContain(harness.Stripe.Log, r => r.Path.Contains("/search", StringComparison.Ordinal));
        Assert.Contains(harness.Stripe.Log, r => r is { Method: "GET", Path: "/v1/customers" } && r.Query.Contains("email=", StringComparison.Ordinal));
        Assert.Contains(harness.Stripe.Log, r => r is { Method: "GET", Path: "/v1/invoices" } && r.Query.Contains("customer=", StringComparison.Ordinal));
        Assert.Single(RemoteView.Of(harness, PaymentProvider.Stripe, invoice));
    }

    [Fact]
    public async Task A_draft_whose_answer_was_lost_is_found_by_listing_the_customers_invoices_past_the_first_page()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Stripe);
        harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [1m]));
        await harness.Worker().RunOnceAsync();
        var second = harness.Finalize(PaymentHarness.Sample("acme", "USD", 2, [1000m]));
        var dropped = false;
        // The draft is created, its answer is lost, its key is pruned, and 105 newer invoices push it off the first page.
        harness.Stripe.AfterCommit = r =>
        {
            if (dropped || r is not { Method: "POST", Path: "/v1/invoices" }) return false;
            dropped = true;
            harness.Stripe.ForgetIdempotencyKeys();
            harness.Stripe.AddForeignInvoices(harness.Stripe.CustomerId("acme"), 105);
            return true;
        };

        Assert.Equal(SyncStatus.Done, Assert.Single((await harness.Worker().RunOnceAsync()).Processed).Status);

        Assert.True(dropped);
        Assert.Single(RemoteView.Of(harness, PaymentProvider.Stripe, second));
        Assert.Contains(harness.Stripe.Log, r => r is { Method: "GET", Path: "/v1/invoices" } && r.Query.Contains("starting_after=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invoice_with_more_lines_than_Stripe_takes_groups_the_rest_into_its_250th_item()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Stripe);
        var amounts = Enumerable.Range(1, 300).Select(i => i / 100m).ToArray();
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, amounts));

        var record = Assert.Single((await harness.Worker().RunOnceAsync()).Processed);

        Assert.Equal((SyncStatus.Done, null), (record.Status, record.LastError));
        var remote = Assert.Single(harness.Stripe.Invoices);
        Assert.Equal(("open", FakeStripe.MaxInvoiceItems), (remote.Status, remote.Lines.Count));
        Assert.Equal(Enumerable.Range(1, 300).Sum(), remote.Total);
        Assert.Equal(invoice.Lines.Take(249).Select(l => l.Id), remote.Lines.Take(249).Select(l => l.Metadata["engine_line_id"]));
        var rest = remote.Lines[^1];
        Assert.Equal(Enumerable.Range(250, 51).Sum(), rest.Amount);
        Assert.Contains("51 more lines", rest.Description);
        Assert.Equal($"rest:{invoice.Id}:250", rest.Metadata["engine_line_id"]);
    }

    [Fact]
    public async Task The_fake_refuses_a_251st_invoice_item_as_Stripe_does()
    {
        using var harness = new PaymentHarness();
        using var http = new HttpClient();
        var customer = await StripeAsync(http, harness, HttpMethod.Post, "/v1/customers", "name=x");
        var draft = await StripeAsync(http, harness, HttpMethod.Post, "/v1/invoices",
            $"customer={customer["id"]}&currency=usd&collection_method=send_invoice&days_until_due=30");
        for (var i = 0; i < FakeStripe.MaxInvoiceItems; i++)
        {
            await StripeAsync(http, harness, HttpMethod.Post, "/v1/invoiceitems", $"customer={customer["id"]}&invoice={draft["id"]}&amount=1&currency=usd");
        }

        var refused = await SendAsync(http, harness, HttpMethod.Post, "/v1/invoiceitems", $"customer={customer["id"]}&invoice={draft["id"]}&amount=1&currency=usd");

        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Contains("invoice_too_many_line_items", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_coupon_given_to_the_customer_at_Stripe_does_not_change_our_total()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Stripe);
        harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));
        await harness.Worker().RunOnceAsync();
        harness.Stripe.GiveCoupon(harness.Stripe.CustomerId("acme"), 25);
        var second = harness.Finalize(PaymentHarness.Sample("acme", "USD", 2, [100m, 20m]));

        var record = Assert.Single((await harness.Worker().RunOnceAsync()).Processed);

        Assert.Equal((SyncStatus.Done, null), (record.Status, record.LastError));
        Assert.Equal(12000L, Assert.Single(RemoteView.Of(harness, PaymentProvider.Stripe, second)).Total);
        Assert.All(harness.Stripe.Log.Where(r => r.Path == "/v1/invoiceitems"), r => Assert.Contains("discountable=false", r.Body));
    }

    [Fact]
    public async Task Pending_invoice_items_of_the_customer_at_Stripe_stay_out_of_our_invoice()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Stripe);
        harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));
        await harness.Worker().RunOnceAsync();
        harness.Stripe.AddPendingItem(harness.Stripe.CustomerId("acme"), 999);
        var second = harness.Finalize(PaymentHarness.Sample("acme", "USD", 2, [50m]));

        Assert.Equal(SyncStatus.Done, Assert.Single((await harness.Worker().RunOnceAsync()).Processed).Status);
        Assert.Equal(5000L, Assert.Single(RemoteView.Of(harness, PaymentProvider.Stripe, second)).Total);
    }

    [Fact]
    public async Task The_fake_stores_and_replays_a_business_rule_400_under_its_idempotency_key()
    {
        using var harness = new PaymentHarness();
        using var http = new HttpClient();
        var customer = await StripeAsync(http, harness, HttpMethod.Post, "/v1/customers", "name=x");
        var draft = await StripeAsync(http, harness, HttpMethod.Post, "/v1/invoices",
            $"customer={customer["id"]}&currency=usd&collection_method=send_invoice&days_until_due=30");
        var id = draft["id"]!.GetValue<string>();

        // Sending a draft is refused by a business rule; the refusal is stored under the key...
        var first = await SendAsync(http, harness, HttpMethod.Post, $"/v1/invoices/{id}/send", "", "key-1");
        await StripeAsync(http, harness, HttpMethod.Post, "/v1/invoiceitems", $"customer={customer["id"]}&invoice={id}&amount=100&currency=usd");
        await StripeAsync(http, harness, HttpMethod.Post, $"/v1/invoices/{id}/finalize", "");
        // ...and replayed even though the invoice could now be sent; a validation error is not stored.
        var replay = await SendAsync(http, harness, HttpMethod.Post, $"/v1/invoices/{id}/send", "", "key-1");
        var invalid = await SendAsync(http, harness, HttpMethod.Post, "/v1/invoiceitems", $"customer={customer["id"]}&invoice={id}&amount=x&currency=usd", "key-2");
        var retried = await SendAsync(http, harness, HttpMethod.Post, "/v1/invoiceitems", $"customer={customer["id"]}&invoice={id}&amount=1&currency=usd", "key-2");

        Assert.Equal((400, 400), ((int)first.StatusCode, (int)replay.StatusCode));
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Contains("invoice_unexpected_state", await replay.Content.ReadAsStringAsync());
        Assert.Equal(400, (int)invalid.StatusCode);
        Assert.Contains("invoice_not_editable", await retried.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_fake_models_auto_advance_collection_method_and_pending_items_as_Stripe_defaults_them()
    {
        using var harness = new PaymentHarness();
        using var http = new HttpClient();
        var customer = (await StripeAsync(http, harness, HttpMethod.Post, "/v1/customers", "name=x"))["id"]!.GetValue<string>();
        await StripeAsync(http, harness, HttpMethod.Post, "/v1/invoiceitems", $"customer={customer}&amount=500&currency=usd");

        var automatic = await StripeAsync(http, harness, HttpMethod.Post, "/v1/invoices", $"customer={customer}&currency=usd&auto_advance=true");
        var included = await StripeAsync(http, harness, HttpMethod.Post, "/v1/invoices",
            $"customer={customer}&currency=usd&pending_invoice_items_behavior=include&collection_method=send_invoice&days_until_due=3");
        var missingDue = await SendAsync(http, harness, HttpMethod.Post, "/v1/invoices", $"customer={customer}&currency=usd&collection_method=send_invoice");
        var late = await SendAsync(http, harness, HttpMethod.Post, "/v1/invoiceitems", $"customer={customer}&invoice={automatic["id"]}&amount=1&currency=usd");
        var send = await SendAsync(http, harness, HttpMethod.Post, $"/v1/invoices/{automatic["id"]}/send", "");

        Assert.Equal("charge_automatically", automatic["collection_method"]!.GetValue<string>());
        Assert.Equal(500L, included["total"]!.GetValue<long>());
        Assert.Equal(400, (int)missingDue.StatusCode);
        // Stripe finalized the auto-advancing draft by itself: it takes no more items, and it cannot be emailed.
        Assert.Contains("invoice_not_editable", await late.Content.ReadAsStringAsync());
        Assert.Contains("invoice_not_send_invoice", await send.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_fake_pages_lists_with_starting_after_and_has_more()
    {
        using var harness = new PaymentHarness();
        using var http = new HttpClient();
        for (var i = 0; i < 5; i++) await StripeAsync(http, harness, HttpMethod.Post, "/v1/customers", "email=a%40b.example");

        var page1 = await StripeAsync(http, harness, HttpMethod.Get, "/v1/customers?email=a%40b.example&limit=3", null);
        var last = page1["data"]!.AsArray()[^1]!["id"]!.GetValue<string>();
        var page2 = await StripeAsync(http, harness, HttpMethod.Get, $"/v1/customers?email=a%40b.example&limit=3&starting_after={last}", null);

        Assert.Equal((3, true), (page1["data"]!.AsArray().Count, page1["has_more"]!.GetValue<bool>()));
        Assert.Equal((2, false), (page2["data"]!.AsArray().Count, page2["has_more"]!.GetValue<bool>()));
        var ids = page1["data"]!.AsArray().Concat(page2["data"]!.AsArray()).Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task A_lost_Razorpay_mapping_finds_the_existing_customer_by_its_exact_email_and_contact()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Razorpay, "Acme Corp", "billing@acme.example", "+919876543210");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, harness.Razorpay.BaseUrl + "/v1/customers")
        {
            Content = new StringContent("""{"name":"Acme Corp","email":"billing@acme.example","contact":"+919876543210"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{PaymentHarness.RazorpayKeyId}:{PaymentHarness.RazorpaySecret}")));
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
        harness.Finalize(PaymentHarness.Sample("acme", "INR", 1, [100m]));

        Assert.Equal(SyncStatus.Done, Assert.Single((await harness.Worker().RunOnceAsync()).Processed).Status);

        var customer = Assert.Single(harness.Razorpay.Customers);
        Assert.Equal(customer["id"]!.GetValue<string>(), harness.Razorpay.Invoices.Single()["customer_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("acme_corp", null, "'_'")]
    [InlineData("acme", "Acme & Sons", "'&'")]
    [InlineData("acme", "AB", "3 to 50")]
    public async Task A_name_Razorpay_refuses_stops_before_any_call_with_the_rule(string customer, string? name, string expected)
    {
        using var harness = new PaymentHarness();
        harness.UseProvider(customer, PaymentProvider.Razorpay, name, "billing@acme.example");
        harness.Finalize(PaymentHarness.Sample(customer, "INR", 1, [100m]));

        var record = Assert.Single((await harness.Worker().RunOnceAsync()).Processed);

        Assert.Equal(SyncStatus.NeedsHuman, record.Status);
        Assert.Contains("Razorpay customer name", record.LastError);
        Assert.Contains(expected, record.LastError);
        Assert.Empty(harness.Razorpay.Log);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, PaymentHarness harness, HttpMethod method, string path, string? form, string? key = null)
    {
        var request = new HttpRequestMessage(method, harness.Stripe.BaseUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PaymentHarness.StripeKey);
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        if (form is not null && method != HttpMethod.Get) request.Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        return await http.SendAsync(request);
    }

    private static async Task<JsonObject> StripeAsync(HttpClient http, PaymentHarness harness, HttpMethod method, string path, string? form)
    {
        using var response = await SendAsync(http, harness, method, path, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!.AsObject();
    }
}
