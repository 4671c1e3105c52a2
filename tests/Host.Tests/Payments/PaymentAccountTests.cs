using System.Net;
using System.Net.Http.Json;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.Payments;

/// <summary>Provider accounts and customer providers through the API; secrets go in and never come out.</summary>
public sealed class PaymentAccountTests
{
    [Fact]
    public async Task Accounts_are_shown_without_secrets_with_the_webhook_path_to_register()
    {
        await using var world = await PaymentWorld.StartAsync();

        var response = await world.Acme.PutAsJsonAsync("/v1/payments/accounts/stripe",
            new { secretKey = PaymentWorld.StripeKey, webhookSecret = PaymentWorld.StripeWebhookSecret, apiBase = world.Stripe.BaseUrl + "/" });
        var text = await response.Content.ReadAsStringAsync();
        var listed = await world.Acme.GetStringAsync("/v1/payments/accounts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await ApiServer.ReadJsonAsync(response);
        Assert.Equal(("stripe", world.Stripe.BaseUrl, "/v1/webhooks/stripe/acme"),
            (view["provider"]!.GetValue<string>(), view["apiBase"]!.GetValue<string>(), view["webhookPath"]!.GetValue<string>()));
        var accounts = System.Text.Json.Nodes.JsonNode.Parse(listed)!.AsArray();
        Assert.Equal(["razorpay", "stripe"], accounts.Select(a => a!["provider"]!.GetValue<string>()));
        Assert.Equal("/v1/webhooks/razorpay/acme", accounts[0]!["webhookPath"]!.GetValue<string>());
        foreach (var secret in PaymentWorld.Secrets.Append(PaymentWorld.RazorpayKeyId))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bad_account_requests_are_problems_that_never_quote_the_secret()
    {
        await using var world = await PaymentWorld.StartAsync();
        const string leaky = "sk_live_do_not_echo_me";

        var missing = await world.Acme.PutAsJsonAsync("/v1/payments/accounts/stripe", new { secretKey = leaky });
        var wrongFields = await world.Acme.PutAsJsonAsync("/v1/payments/accounts/razorpay", new { secretKey = leaky, webhookSecret = "x" });
        var badBase = await world.Acme.PutAsJsonAsync("/v1/payments/accounts/stripe", new { secretKey = leaky, webhookSecret = "w", apiBase = "ftp://x" });
        var spaced = await world.Acme.PutAsJsonAsync("/v1/payments/accounts/stripe", new { secretKey = leaky + " x", webhookSecret = "w" });
        var unknown = await world.Acme.PutAsJsonAsync("/v1/payments/accounts/paypal", new { secretKey = leaky, webhookSecret = "w" });
        using var anonymous = world.Server.Client();
        var noKey = await anonymous.PutAsJsonAsync("/v1/payments/accounts/stripe", new { secretKey = leaky, webhookSecret = "w" });

        var problems = new[]
        {
            await ApiServer.AssertProblemAsync(missing, 400), await ApiServer.AssertProblemAsync(wrongFields, 400),
            await ApiServer.AssertProblemAsync(badBase, 400), await ApiServer.AssertProblemAsync(spaced, 400),
            await ApiServer.AssertProblemAsync(unknown, 404), await ApiServer.AssertProblemAsync(noKey, 401),
        };
        Assert.Contains("'webhookSecret' is required", problems[0]["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("'secretKey' does not apply to razorpay", problems[1]["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("'apiBase'", problems[2]["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("'secretKey' must be one token", problems[3]["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(problems, p => Assert.DoesNotContain(leaky, p.ToJsonString(), StringComparison.Ordinal));
        Assert.DoesNotContain(leaky, world.Server.Log.ToString(), StringComparison.Ordinal);
        // Nothing was stored: the stripe account still points at the fake.
        var stripe = (await ApiServer.ReadJsonAsync(await world.Acme.GetAsync("/v1/payments/accounts"))).AsArray().Single(a => a!["provider"]!.GetValue<string>() == "stripe")!;
        Assert.Equal(world.Stripe.BaseUrl, stripe["apiBase"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_customer_provider_needs_a_known_customer_a_known_provider_and_a_configured_account()
    {
        await using var world = await PaymentWorld.StartAsync();
        var globex = await world.Server.TenantAsync("globex");
        Assert.Equal(HttpStatusCode.Created, (await globex.PostAsJsonAsync("/v1/customers", new { id = "g-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await world.Acme.PostAsJsonAsync("/v1/customers", new { id = "cust-1" })).StatusCode);

        await ApiServer.AssertProblemAsync(await world.Acme.PutAsJsonAsync("/v1/customers/nobody/payment-provider", new { provider = "stripe" }), 404);
        await ApiServer.AssertProblemAsync(await world.Acme.PutAsJsonAsync("/v1/customers/cust-1/payment-provider", new { provider = "paypal" }), 400);
        var unconfigured = await ApiServer.AssertProblemAsync(await globex.PutAsJsonAsync("/v1/customers/g-1/payment-provider", new { provider = "stripe" }), 422);
        await ApiServer.AssertProblemAsync(await globex.PutAsJsonAsync("/v1/customers/cust-1/payment-provider", new { provider = "none" }), 404);
        var set = await ApiServer.ReadJsonAsync(await world.Acme.PutAsJsonAsync("/v1/customers/cust-1/payment-provider",
            new { provider = "razorpay", name = "Acme (India)", email = "billing@acme.example", contact = "+919876543210" }));

        Assert.Contains("PUT /v1/payments/accounts/stripe", unconfigured["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("razorpay", "Acme (India)", "billing@acme.example", "+919876543210"), (set["provider"]!.GetValue<string>(),
            set["name"]!.GetValue<string>(), set["email"]!.GetValue<string>(), set["contact"]!.GetValue<string>()));
        Assert.Equal("razorpay", (await ApiServer.ReadJsonAsync(await world.Acme.GetAsync("/v1/customers/cust-1/payment-provider")))["provider"]!.GetValue<string>());
        Assert.Empty((await ApiServer.ReadJsonAsync(await globex.GetAsync("/v1/payments/accounts"))).AsArray());
    }

    [Fact]
    public async Task Razorpay_needs_a_name_it_accepts_and_an_email_or_contact_before_anything_is_queued()
    {
        await using var world = await PaymentWorld.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await world.Acme.PostAsJsonAsync("/v1/customers", new { id = "acme_india" })).StatusCode);
        const string path = "/v1/customers/acme_india/payment-provider";

        var badName = await ApiServer.AssertProblemAsync(await world.Acme.PutAsJsonAsync(path, new { provider = "razorpay", email = "a@b.example" }), 422);
        var noDetails = await ApiServer.AssertProblemAsync(await world.Acme.PutAsJsonAsync(path, new { provider = "razorpay", name = "Acme India" }), 422);
        await ApiServer.AssertProblemAsync(await world.Acme.PutAsJsonAsync(path, new { provider = "razorpay", name = "Acme India", contact = "12ab" }), 400);
        var stripe = await world.Acme.PutAsJsonAsync(path, new { provider = "stripe" });

        Assert.Contains("'_'", badName["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("no email and no contact", noDetails["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stripe.StatusCode);
    }

    [Fact]
    public async Task A_customer_whose_contract_bills_fils_cannot_be_sent_to_a_provider_and_one_rounding_to_ten_fils_can()
    {
        await using var world = await PaymentWorld.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await world.Acme.PostAsJsonAsync("/v1/customers", new { id = "kw-fils" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await world.Acme.PostAsJsonAsync("/v1/customers", new { id = "kw-1" })).StatusCode);

        var fils = await ApiServer.AssertProblemAsync(await world.Acme.PutAsJsonAsync("/v1/customers/kw-fils/payment-provider", new { provider = "stripe" }), 422);
        var tens = await world.Acme.PutAsJsonAsync("/v1/customers/kw-1/payment-provider", new { provider = "stripe" });
        var none = await world.Acme.PutAsJsonAsync("/v1/customers/kw-fils/payment-provider", new { provider = "none" });

        Assert.Contains("contract 'gulf_fils' version 1 rounds KWD lines to 0.001", fils["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("round to 0.010 KWD", fils["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (tens.StatusCode, none.StatusCode));
    }

    [Fact]
    public async Task Secrets_appear_in_no_response_log_line_or_audit_entry_through_a_whole_payment()
    {
        await using var world = await PaymentWorld.StartAsync();
        var invoice = await world.FinalizeAsync("cust-1", "stripe");
        var id = invoice["id"]!.GetValue<string>();
        await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "sent"));
        using var anonymous = world.Server.Client();
        var body = PaymentWorld.StripeEvent("evt_s", "invoice.paid", Assert.Single(world.Stripe.Invoices));
        await PaymentWorld.PostStripeWebhookAsync(anonymous, PaymentWorld.Tenant, body, PaymentWorld.StripeSignature(body, DateTimeOffset.UtcNow));
        await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "paid"));

        var responses = string.Join("\n", await world.Acme.GetStringAsync($"/v1/invoices/{id}/payment"), await world.Acme.GetStringAsync("/v1/payments/accounts"),
            await world.Acme.GetStringAsync("/v1/payments/dead-letters"));
        var audit = await world.Acme.GetStringAsync("/v1/audit");
        var log = world.Server.Log.ToString();

        Assert.Contains("payments.account stripe", audit, StringComparison.Ordinal);
        Assert.Contains("Payment sync", log, StringComparison.Ordinal);
        foreach (var secret in PaymentWorld.Secrets)
        {
            Assert.DoesNotContain(secret, responses, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, audit, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }
    }
}
