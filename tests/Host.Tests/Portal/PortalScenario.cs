using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RulesBilling.Host.Portal;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.Portal;

/// <summary>A clock the test moves (portal links expire against the server's "now").</summary>
internal sealed class MovableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// A real server (127.0.0.1, LiteDB file) with portal keys and this data, as of 2026-11-10 12:00 UTC:
/// tenant acme — cust-1 (October finalized: two resolutions and a duplicate, 1.00 USD of credit applied; November: two
/// billable resolutions and one pending), cust-2 (October finalized, ticket T-SECRET-2), cust-3 (October held by the
/// guard), one rejected event; tenant beta — its own cust-1 (October finalized, ticket T-BETA-ONLY).
/// </summary>
internal sealed class PortalScenario : IAsyncDisposable
{
    public const string KeyId = "k1";
    public const string Secret = "portal-test-secret-0123456789abcdef";
    public static readonly DateTimeOffset Start = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);

    public const string Rules = """
        event ticket.resolved {
          ticket_id: string
        }

        event ticket.reopened {
          ticket: string
        }

        outcome resolved from ticket.resolved {
          key ticket_id
          hold 72h reversed by ticket.reopened on ticket
        }

        pricing support {
          charge resolved { unit 2 USD }
          guard big_spend: revenue() > 10 USD then hold
        }

        feature resolutions metered outcome resolved

        contract standard version 1 effective 2026-01-01 {
          customers default
          pricing support
          currency USD
          period monthly
          features {
            resolutions limit 5 hard
          }
        }
        """;

    private PortalScenario(ApiServer server, MovableClock clock, HttpClient acme, HttpClient beta, string acmeKey)
    {
        Server = server;
        Clock = clock;
        Acme = acme;
        Beta = beta;
        AcmeKey = acmeKey;
    }

    public ApiServer Server { get; private set; }
    public MovableClock Clock { get; }
    public HttpClient Acme { get; private set; }
    public HttpClient Beta { get; private set; }
    public string AcmeKey { get; }

    public JsonNode Cust1October { get; private set; } = null!;
    public JsonNode Cust2October { get; private set; } = null!;
    public JsonNode Cust3Held { get; private set; } = null!;
    public JsonNode BetaCust1October { get; private set; } = null!;

    public static Task<PortalScenario> StartAsync() => StartAsync($"{KeyId}:{Secret}");

    public static async Task<PortalScenario> StartAsync(params string[] portalKeys)
    {
        var clock = new MovableClock(Start);
        var server = await ApiServer.StartAsync(o => o with { PortalKeys = PortalKeys.Parse(portalKeys), RateLimitPermits = 100_000 }, Rules, clock);
        using var admin = server.Client(ApiServer.AdminKey);
        var created = await ApiServer.ReadJsonAsync(await admin.PostAsJsonAsync("/v1/tenants", new { id = "acme" }));
        var acmeKey = created["apiKey"]!.GetValue<string>();
        var scenario = new PortalScenario(server, clock, server.Client(acmeKey), await server.TenantAsync("beta"), acmeKey);
        await scenario.SeedAsync();
        return scenario;
    }

    private async Task SeedAsync()
    {
        foreach (var id in new[] { "cust-1", "cust-2", "cust-3" })
            Assert.Equal(HttpStatusCode.Created, (await Acme.PostAsJsonAsync("/v1/customers", new { id })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "1.00", currency = "USD", description = "Welcome credit" })).StatusCode);
        var wrongField = """{"specversion":"1.0","id":"bad-1","source":"agent","type":"ticket.resolved","subject":"cust-1","time":"2026-10-05T10:00:00Z","data":{"ticket_id":5}}""";
        var batch = await ApiServer.ReadJsonAsync(await Acme.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event("e1", "cust-1", "T-1", "2026-10-05T10:00:00Z"),
            EventTests.Event("e2", "cust-1", "T-2", "2026-10-06T10:00:00Z"),
            EventTests.Event("e3", "cust-1", "T-1", "2026-10-07T10:00:00Z"),
            EventTests.Event("e4", "cust-2", "T-SECRET-2", "2026-10-08T10:00:00Z"),
            EventTests.Event("e5", "cust-3", "T-31", "2026-10-09T10:00:00Z"),
            EventTests.Event("e6", "cust-3", "T-32", "2026-10-09T11:00:00Z"),
            EventTests.Event("e7", "cust-3", "T-33", "2026-10-09T12:00:00Z"),
            EventTests.Event("e8", "cust-3", "T-34", "2026-10-09T13:00:00Z"),
            EventTests.Event("e9", "cust-3", "T-35", "2026-10-09T14:00:00Z"),
            EventTests.Event("e10", "cust-3", "T-36", "2026-10-09T15:00:00Z"),
            EventTests.Event("n1", "cust-1", "T-10", "2026-11-02T10:00:00Z"),
            EventTests.Event("n2", "cust-1", "T-11", "2026-11-05T10:00:00Z"),
            EventTests.Event("n3", "cust-1", "T-12", "2026-11-09T20:00:00Z"),
            wrongField)));
        Assert.Equal((13, 1), (batch["accepted"]!.GetValue<int>(), batch["rejected"]!.GetValue<int>()));
        Cust1October = await FinalizeAsync(Acme, "cust-1");
        Cust2October = await FinalizeAsync(Acme, "cust-2");
        Cust3Held = await FinalizeAsync(Acme, "cust-3");
        Assert.Equal(("finalized", "finalized", "held"),
            (Cust1October["status"]!.GetValue<string>(), Cust2October["status"]!.GetValue<string>(), Cust3Held["status"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.Created, (await Beta.PostAsJsonAsync("/v1/customers", new { id = "cust-1" })).StatusCode);
        await Beta.PostAsync("/v1/events", EventTests.Batch(EventTests.Event("b1", "cust-1", "T-BETA-ONLY", "2026-10-12T10:00:00Z")));
        BetaCust1October = await FinalizeAsync(Beta, "cust-1");
    }

    private static async Task<JsonNode> FinalizeAsync(HttpClient client, string customer)
    {
        var response = await client.PostAsJsonAsync($"/v1/customers/{customer}/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ApiServer.ReadJsonAsync(response);
    }

    /// <summary>Creates a portal link through the tenant API and returns its path (/portal/{token}/).</summary>
    public static async Task<string> LinkAsync(HttpClient tenant, string customer, int? minutes = null)
    {
        var response = minutes is null
            ? await tenant.PostAsync($"/v1/customers/{customer}/portal-links", null)
            : await tenant.PostAsJsonAsync($"/v1/customers/{customer}/portal-links", new { expiresInMinutes = minutes });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!["path"]!.GetValue<string>();
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var anonymous = Server.Client();
        var response = await anonymous.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Acme.Dispose();
        Beta.Dispose();
        await Server.DisposeAsync();
    }
}
