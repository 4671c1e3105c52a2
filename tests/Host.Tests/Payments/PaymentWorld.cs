using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Tests.Payments.Fakes;
using RulesBilling.Host.Api;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.Payments;

/// <summary>
/// The real server (127.0.0.1, LiteDB temp file) with the payment worker polling fast, both fake providers, and
/// tenant "acme" whose Stripe and Razorpay accounts point at the fakes. Customers are billed 2 USD or 150 JPY per
/// resolved ticket; <see cref="FinalizeAsync"/> gives one two tickets in October 2026 and finalizes that month.
/// </summary>
internal sealed class PaymentWorld : IAsyncDisposable
{
    public const string Tenant = "acme";
    public const string StripeKey = "sk_test_hostsecret_4242";
    public const string StripeWebhookSecret = "whsec_hoststripe_7777";
    public const string RazorpayKeyId = "rzp_test_hostkeyid";
    public const string RazorpaySecret = "rzp_hostsecret_9999";
    public const string RazorpayWebhookSecret = "rzp_whsec_host_5555";

    public static readonly string[] Secrets = [StripeKey, StripeWebhookSecret, RazorpaySecret, RazorpayWebhookSecret];

    /// <summary>Support at 2 USD for everyone, and a <c>japan</c> contract at 150 JPY for customers "jp-1" and "jp-2".</summary>
    public static readonly string Rules = TestRules.Support + """

        pricing support_jp {
          charge resolved { unit 150 JPY }
        }

        contract japan version 1 effective 2026-01-01 {
          customers "jp-1", "jp-2"
          pricing support_jp
          currency JPY
          period monthly
        }

        pricing support_kw {
          charge resolved { unit 0.125 KWD }
        }

        contract gulf version 1 effective 2026-01-01 {
          customers "kw-1"
          pricing support_kw
          round to 0.010 KWD
          period monthly
        }

        contract gulf_fils version 1 effective 2026-01-01 {
          customers "kw-fils"
          pricing support_kw
          round to 0.001 KWD
          period monthly
        }
        """;

    private PaymentWorld(ApiServer server, HttpClient acme, FakeStripe stripe, FakeRazorpay razorpay)
    {
        Server = server;
        Acme = acme;
        Stripe = stripe;
        Razorpay = razorpay;
    }

    public ApiServer Server { get; }
    public HttpClient Acme { get; }
    public FakeStripe Stripe { get; }
    public FakeRazorpay Razorpay { get; }

    public static async Task<PaymentWorld> StartAsync(Func<ServeOptions, ServeOptions>? configure = null)
    {
        var stripe = new FakeStripe(StripeKey);
        var razorpay = new FakeRazorpay(RazorpayKeyId, RazorpaySecret);
        var server = await ApiServer.StartAsync(o =>
        {
            var fast = o with
            {
                RateLimitPermits = 100_000,
                Payments = o.Payments with { SyncInterval = TimeSpan.FromMilliseconds(100), Retries = new RetryOptions(1, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)) },
            };
            return configure?.Invoke(fast) ?? fast;
        }, Rules);
        var acme = await server.TenantAsync(Tenant);
        var world = new PaymentWorld(server, acme, stripe, razorpay);
        Assert.Equal(HttpStatusCode.OK, (await acme.PutAsJsonAsync("/v1/payments/accounts/stripe",
            new { secretKey = StripeKey, webhookSecret = StripeWebhookSecret, apiBase = stripe.BaseUrl })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await acme.PutAsJsonAsync("/v1/payments/accounts/razorpay",
            new { keyId = RazorpayKeyId, keySecret = RazorpaySecret, webhookSecret = RazorpayWebhookSecret, apiBase = razorpay.BaseUrl })).StatusCode);
        return world;
    }

    /// <summary>Registers the customer, sends its invoices to <paramref name="provider"/>, records two resolved tickets in October 2026 and finalizes October; returns the invoice.</summary>
    public async Task<JsonNode> FinalizeAsync(string customer, string provider)
    {
        Assert.Equal(HttpStatusCode.Created, (await Acme.PostAsJsonAsync("/v1/customers", new { id = customer })).StatusCode);
        var set = await Acme.PutAsJsonAsync($"/v1/customers/{customer}/payment-provider", new { provider, name = customer.Replace('-', ' '), email = $"billing@{customer}.example" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var events = await ApiServer.ReadJsonAsync(await Acme.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event($"{customer}-e1", customer, "T-1"),
            EventTests.Event($"{customer}-e2", customer, "T-2", "2026-10-06T10:00:00Z"))));
        Assert.Equal(2, events["accepted"]!.GetValue<int>());
        var finalized = await Acme.PostAsJsonAsync($"/v1/customers/{customer}/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, finalized.StatusCode);
        return await ApiServer.ReadJsonAsync(finalized);
    }

    public async Task<JsonNode> PaymentAsync(string invoiceId)
    {
        var response = await Acme.GetAsync($"/v1/invoices/{invoiceId}/payment");
        // On a failure the server's log says why (the answer only carries a correlation id).
        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{Server.Log}");
        return await ApiServer.ReadJsonAsync(response);
    }

    /// <summary>Polls the invoice's payment view until <paramref name="reached"/> holds (the background worker runs every 100 ms).</summary>
    public async Task<JsonNode> WaitForPaymentAsync(string invoiceId, Func<JsonNode, bool> reached)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var payment = await PaymentAsync(invoiceId);
            if (reached(payment)) return payment;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"payment of {invoiceId} never reached the expected state: {payment.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    public static bool InState(JsonNode payment, string state) => payment["payment"]?["state"]?.GetValue<string>() == state;

    public static string SyncStatus(JsonNode payment, string action = "push") =>
        payment["sync"]!.AsArray().Single(r => r!["action"]!.GetValue<string>() == action)!["status"]!.GetValue<string>();

    public static async Task<HttpResponseMessage> PostStripeWebhookAsync(HttpClient client, string tenant, string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/stripe/{tenant}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.Add("Stripe-Signature", signature);
        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> PostRazorpayWebhookAsync(HttpClient client, string tenant, string body, string? signature, string eventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/razorpay/{tenant}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.Add("X-Razorpay-Signature", signature);
        request.Headers.Add("X-Razorpay-Event-Id", eventId);
        return await client.SendAsync(request);
    }

    /// <summary>A Stripe event wrapping the provider's own invoice object (with our metadata), as Stripe sends it.</summary>
    /// <summary>A Stripe event about <paramref name="invoice"/>; an <c>invoice.paid</c> event carries the invoice as Stripe
    /// sends it then: paid in full (amount_paid = amount_due, amount_remaining 0), which the payment state reads.</summary>
    public static string StripeEvent(string eventId, string type, FakeStripeInvoice invoice)
    {
        var data = invoice.ToJson();
        if (type == "invoice.paid")
        {
            data["status"] = "paid";
            data["amount_paid"] = data["amount_due"]!.GetValue<long>();
            data["amount_remaining"] = 0L;
        }
        return new JsonObject { ["id"] = eventId, ["object"] = "event", ["type"] = type, ["data"] = new JsonObject { ["object"] = data } }.ToJsonString();
    }

    public static string RazorpayEvent(string type, JsonObject invoice) =>
        new JsonObject
        {
            ["entity"] = "event", ["event"] = type,
            ["payload"] = new JsonObject { ["invoice"] = new JsonObject { ["entity"] = invoice.DeepClone() } },
        }.ToJsonString();

    public static string StripeSignature(string body, DateTimeOffset at, string secret = StripeWebhookSecret)
    {
        var timestamp = at.ToUnixTimeSeconds();
        return $"t={timestamp},v1={Hmac(secret, $"{timestamp}.{body}")}";
    }

    public static string Hmac(string secret, string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));

    public async ValueTask DisposeAsync()
    {
        Acme.Dispose();
        await Server.DisposeAsync();
        Stripe.Dispose();
        Razorpay.Dispose();
    }
}
