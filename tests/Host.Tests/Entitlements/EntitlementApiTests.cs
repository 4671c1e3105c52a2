using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using RulesBilling.Dsl.Text;
using RulesBilling.Host.Api;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.Entitlements;

/// <summary>Entitlements, checks, balances and webhooks through the HTTP API of a real server on 127.0.0.1.</summary>
public sealed class EntitlementApiTests
{
    private const string Rules = """
        event ticket.resolved {
          ticket_id: string
        }
        outcome resolved from ticket.resolved {
          key ticket_id
        }
        pricing support {
          charge resolved { unit 2 USD }
        }
        feature resolutions metered outcome resolved
        feature premium bool
        feature max_agents integer
        contract standard version 1 effective 2020-01-01 {
          customers default
          pricing support
          features {
            resolutions limit 2 hard
            premium
            max_agents: 5
          }
        }
        """;

    private static string Event(string id, string ticket) =>
        EventTests.Event(id, ticket: ticket, time: DateTimeOffset.UtcNow.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));

    /// <summary>A server like ApiServer's, but running the real DSL compiler with <see cref="Rules"/> as its start-up rules.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly string _folder;

        private Server(WebApplication app, string folder) => (_app, _folder) = (app, folder);

        public static async Task<Server> StartAsync()
        {
            var folder = Path.Combine(Path.GetTempPath(), "rb-host-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            var compiled = RuleCompiler.Check([new SourceText("features.rules", Rules)]).RuleSet!;
            // The receiver is on 127.0.0.1, which webhooks may only reach with --allow-private-webhooks.
            var options = new ServeOptions(Path.Combine(folder, "billing.db"), [], "http://127.0.0.1:0", ApiServer.AdminKey, JsonLogs: false)
            {
                AllowPrivateWebhooks = true,
            };
            var app = ApiApplication.Create(options, compiled, RuleCompiler.Check, TextWriter.Null, TimeProvider.System);
            await app.StartAsync();
            return new Server(app, folder);
        }

        public HttpClient Client(string? apiKey = null)
        {
            var client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
            if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
            return client;
        }

        public async Task<HttpClient> TenantAsync(string id)
        {
            using var admin = Client(ApiServer.AdminKey);
            var response = await admin.PostAsJsonAsync("/v1/tenants", new { id });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return Client((await ApiServer.ReadJsonAsync(response))["apiKey"]!.GetValue<string>());
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Entitlements_checks_and_balance_follow_ingested_events()
    {
        await using var server = await Server.StartAsync();
        var acme = await server.TenantAsync("acme");
        Assert.Equal(HttpStatusCode.OK, (await acme.PostAsync("/v1/events", EventTests.Batch(Event("e1", "T-1"), Event("e2", "T-2")))).StatusCode);

        var all = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/entitlements"));
        Assert.Equal(("standard", 1), (all["contract"]!.GetValue<string>(), all["version"]!.GetValue<int>()));
        var features = all["features"]!.AsArray().Select(f => f!["feature"]!.GetValue<string>());
        Assert.Equal(["max_agents", "premium", "resolutions"], features);

        var metered = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/entitlements/resolutions"));
        Assert.Equal((false, "2", "2", "0", "hard"), (metered["hasAccess"]!.GetValue<bool>(), metered["usage"]!.GetValue<string>(),
            metered["limit"]!.GetValue<string>(), metered["remaining"]!.GetValue<string>(), metered["limitMode"]!.GetValue<string>()));
        var agents = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/entitlements/max_agents"));
        Assert.Equal("5", agents["number"]!.GetValue<string>());

        var check = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/entitlements/resolutions/check", new { quantity = "1" }));
        Assert.Equal((false, "hard-limit-reached"), (check["allowed"]!.GetValue<bool>(), check["reason"]!.GetValue<string>()));
        var premium = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/customers/cust-1/entitlements/premium/check", null));
        Assert.True(premium["allowed"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/customers", new { id = "cust-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "10.00", currency = "USD" })).StatusCode);
        var balance = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/balance")))["balances"]!.AsArray().Single()!;
        Assert.Equal(("USD", "10.00", "4.00", "6.00"), (balance["currency"]!.GetValue<string>(), balance["granted"]!.GetValue<string>(),
            balance["committed"]!.GetValue<string>(), balance["available"]!.GetValue<string>()));

        await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers/cust-1/entitlements/nope"), 404);
        await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers/nobody/entitlements"), 404);
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/entitlements/resolutions/check", new { quantity = "-1" }), 400);
        // Another tenant sees neither the customer nor its usage.
        var other = await server.TenantAsync("globex");
        await ApiServer.AssertProblemAsync(await other.GetAsync("/v1/customers/cust-1/entitlements"), 404);
    }

    [Fact]
    public async Task A_subscribed_endpoint_receives_signed_deliveries_visible_with_their_attempts()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hooks/");
        listener.Start();
        var received = new List<(string Id, string Signature, string Body)>();
        _ = Task.Run(async () =>
        {
            // The first request fails so that one delivery shows a retry; the rest succeed.
            for (var n = 1; n <= 3; n++)
            {
                var context = await listener.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                lock (received) received.Add((context.Request.Headers["RulesBilling-Delivery-Id"]!, context.Request.Headers["RulesBilling-Signature"]!, body));
                context.Response.StatusCode = n == 1 ? 503 : 200;
                context.Response.Close();
            }
        });

        await using var server = await Server.StartAsync();
        var acme = await server.TenantAsync("acme");
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/webhooks", new { url = "ftp://x", events = new[] { "outcome.billed" } }), 400);
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/webhooks", new { url = $"http://127.0.0.1:{port}/hooks/", events = new[] { "outcome.sold" } }), 400);
        var created = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/webhooks",
            new { url = $"http://127.0.0.1:{port}/hooks/", events = new[] { "outcome.billed" } }));
        var secret = created["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret);
        Assert.Null((await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/webhooks")))[0]!["secret"]);

        await acme.PostAsync("/v1/events", EventTests.Single(Event("e1", "T-1")));

        // The worker retries after 10 s of backoff; poll (bounded) until the delivery is done.
        System.Text.Json.Nodes.JsonNode? delivery = null;
        for (var i = 0; i < 60 && delivery?["status"]?.GetValue<string>() != "delivered"; i++)
        {
            await Task.Delay(500);
            delivery = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/webhooks/deliveries"))).AsArray().SingleOrDefault();
        }
        Assert.NotNull(delivery);
        Assert.Equal("delivered", delivery["status"]!.GetValue<string>());
        Assert.Equal([503, 200], delivery["attempts"]!.AsArray().Select(a => a!["statusCode"]!.GetValue<int>()));

        List<(string Id, string Signature, string Body)> copies;
        lock (received) copies = received.ToList();
        Assert.Equal(2, copies.Count);
        Assert.All(copies, c =>
        {
            Assert.Equal(delivery["id"]!.GetValue<string>(), c.Id);
            var parts = c.Signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts["t"] + "." + c.Body)));
            Assert.Equal(mac, parts["v1"]);
        });
        listener.Stop();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
