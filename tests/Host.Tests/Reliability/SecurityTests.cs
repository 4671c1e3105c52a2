using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace RulesBilling.Host.Tests.Reliability;

/// <summary>
/// Tenant isolation on every tenant endpoint (OWASP API1, BOLA): tenant B, knowing tenant A's customer, invoice id
/// and number, can read or change nothing of A's. And guessing keys is rate-limited per address.
/// </summary>
public sealed class SecurityTests
{
    [Fact]
    public async Task A_tenant_reaches_nothing_of_another_tenant_on_any_endpoint()
    {
        await using var server = await InProcessServer.StartAsync();
        using var a = server.Client(await server.CreateTenantAsync("tenant-a"));
        using var b = server.Client(await server.CreateTenantAsync("tenant-b"));

        Assert.Equal(HttpStatusCode.Created, (await a.PostAsJsonAsync("/v1/customers", new { id = "secret-co" })).StatusCode);
        var events = "[" + ReliabilityRules.Event("a-1", "secret-co", 1, 700) + "," + ReliabilityRules.Event("a-2", "secret-co", 2, 300) + "]";
        Assert.Equal(HttpStatusCode.OK, (await a.PostAsync("/v1/events", new StringContent(events, Encoding.UTF8, "application/cloudevents-batch+json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await a.PostAsJsonAsync("/v1/customers/secret-co/credits", new { amount = "5.00", currency = "USD" })).StatusCode);
        var finalized = JsonNode.Parse(await (await a.PostAsJsonAsync("/v1/customers/secret-co/invoices/finalize", new { periodFrom = ReliabilityRules.January })).Content.ReadAsStringAsync())!;
        var invoiceId = finalized["id"]!.GetValue<string>();
        var number = finalized["number"]!.GetValue<string>();

        // Reads: 404 for A's objects, empty lists, and nothing of A's in any body.
        foreach (var path in new[] { "/v1/customers/secret-co", $"/v1/invoices/{invoiceId}", $"/v1/invoices/{number}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync(path)).StatusCode);
        }
        foreach (var path in new[]
        {
            "/v1/customers", "/v1/invoices", "/v1/invoices?customer=secret-co", "/v1/customers/secret-co/credits", "/v1/guards/held",
            "/v1/guards/alerts", "/v1/audit", "/v1/rulesets", "/v1/customers/secret-co/invoices/preview?at=2026-01-15T00:00:00Z",
        })
        {
            var response = await b.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode} {body}");
            Assert.DoesNotContain(invoiceId, body, StringComparison.Ordinal);
            Assert.DoesNotContain(number, body, StringComparison.Ordinal);
            Assert.DoesNotContain("tenant-a", body, StringComparison.Ordinal);
            Assert.DoesNotContain("\"1000\"", body, StringComparison.Ordinal); // A's task quantity
        }

        // Writes: B cannot void or release A's invoice; B's "finalize" of the same customer name is B's own (empty) period.
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsync($"/v1/invoices/{invoiceId}/void", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsync($"/v1/invoices/{number}/release", null)).StatusCode);
        var ownFinalize = await b.PostAsJsonAsync("/v1/customers/secret-co/invoices/finalize", new { periodFrom = ReliabilityRules.January });
        var ownBody = await ownFinalize.Content.ReadAsStringAsync();
        Assert.DoesNotContain(invoiceId, ownBody, StringComparison.Ordinal);

        // A's invoice is untouched.
        var still = JsonNode.Parse(await a.GetStringAsync($"/v1/invoices/{invoiceId}"))!;
        Assert.Equal("finalized", still["status"]!.GetValue<string>());
        Assert.Equal(number, still["number"]!.GetValue<string>());
    }

    [Fact]
    public async Task Guessing_keys_is_refused_with_429_once_the_address_has_failed_too_often()
    {
        await using var server = await InProcessServer.StartAsync(o => o with { FailedKeyPermits = 5, RateLimitWindow = TimeSpan.FromHours(1) });
        var realKey = await server.CreateTenantAsync("acme");

        // Every guess is a different key, so a per-key limit alone would never trip.
        var statuses = new List<HttpStatusCode>();
        for (var guess = 0; guess < 12; guess++)
        {
            using var guesser = server.Client($"rbk_guess{guess:D4}");
            statuses.Add((await guesser.GetAsync("/v1/customers")).StatusCode);
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 7)), statuses);

        // Locked out, even a right key is not confirmed from this address: the lucky guess is not recognisable.
        using var real = server.Client(realKey);
        var locked = await real.GetAsync("/v1/customers");
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("wrong API keys", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Paths outside /v1 are not affected.
        Assert.Equal(HttpStatusCode.OK, (await real.GetAsync("/health")).StatusCode);
    }
}
