using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RulesBilling.Host.Tests.Api;
using Sdk = RulesBilling.Client;

namespace RulesBilling.Host.Tests.Integrators;

/// <summary>The .NET client package (sdk/dotnet) against the served OpenAPI document and a real server.</summary>
public sealed class DotnetSdkTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 20, 0, 0, 0, TimeSpan.Zero);

    private static Sdk.EventInput Ticket(string? id, string customer = "acme") =>
        new("agent://support", "ticket.resolved", customer, new { ticket_id = "T-" + (id ?? Guid.NewGuid().ToString("N")) })
        {
            Id = id,
            Time = new DateTimeOffset(2026, 2, 10, 9, 0, 0, TimeSpan.Zero),
            Extensions = new Dictionary<string, string> { ["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
        };

    private static async Task<(ApiServer Server, Sdk.RulesBillingClient Client)> StartAsync(string tenant, HttpMessageHandler? handler = null)
    {
        var server = await ApiServer.StartAsync(clock: new FixedClock(Now));
        using var tenantClient = await server.TenantAsync(tenant);
        var key = tenantClient.DefaultRequestHeaders.Authorization!.Parameter!;
        var http = handler is null ? null : new HttpClient(handler);
        return (server, new Sdk.RulesBillingClient(new Sdk.RulesBillingClientOptions(server.Address, key) { RetryDelay = TimeSpan.FromMilliseconds(1) }, http));
    }

    [Fact]
    public async Task Every_route_and_model_of_the_client_is_in_the_served_document()
    {
        await using var server = await ApiServer.StartAsync();
        var (_, document) = await OpenApiDocumentTests.FetchAsync(server);

        foreach (var (operationId, (method, path)) in Sdk.RulesBillingClient.Routes)
        {
            var operation = document["paths"]![path]?[method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{method} {path} is not in the document");
            Assert.Equal(operationId, operation!["operationId"]!.GetValue<string>());
        }

        var models = typeof(Sdk.RulesBillingClient).Assembly.GetTypes().Where(t => t.GetCustomAttribute<Sdk.ApiSchemaAttribute>() is not null).ToList();
        Assert.True(models.Count >= 10);
        foreach (var model in models)
        {
            var name = model.GetCustomAttribute<Sdk.ApiSchemaAttribute>()!.Name;
            var schema = document["components"]!["schemas"]![name];
            Assert.True(schema is not null, $"schema {name} ({model.Name}) is not in the document");
            foreach (var property in model.GetProperties().Where(p => p.GetCustomAttribute<JsonExtensionDataAttribute>() is null))
            {
                var json = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
                var declared = schema!["properties"]![json];
                Assert.True(declared is not null, $"{model.Name}.{property.Name}: schema {name} has no property '{json}'");
                if (property.PropertyType == typeof(decimal) || property.PropertyType == typeof(decimal?))
                {
                    Assert.Equal("decimal", declared!["format"]?.GetValue<string>());
                }
            }
        }
    }

    [Fact]
    public async Task Events_batches_invoices_and_balances_through_the_client()
    {
        var (server, client) = await StartAsync("dotnet-sdk");
        await using var _ = server;
        using var __ = client;

        Assert.Equal("acme", (await client.CreateCustomerAsync("acme", "Acme")).Id);
        Assert.Equal(1, (await client.SendEventAsync(Ticket("e1"))).Accepted);
        var batch = await client.SendEventsAsync([Ticket("e2"), Ticket("e3"), Ticket("e1")]);
        Assert.Equal((2, 1, 0), (batch.Accepted, batch.Duplicates, batch.Rejected));
        Assert.Equal((2, "duplicate"), (batch.Events[2].Index, batch.Events[2].Status));

        var preview = await client.PreviewInvoiceAsync("acme", new DateTimeOffset(2026, 2, 15, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(6.00m, preview.Invoices[0].Total);
        Assert.Equal(3m, preview.Invoices[0].Lines[0].Quantity);

        await client.GrantCreditsAsync("acme", 1.50m, "USD");
        var invoice = await client.FinalizeInvoiceAsync("acme", new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal((6.00m, 1.50m, 4.50m), (invoice.Subtotal, invoice.Credits, invoice.Total));
        Assert.Equal(invoice.Id, (await client.GetInvoiceAsync(invoice.Id)).Id);
        Assert.Contains(await client.ListInvoicesAsync("acme"), i => i.Id == invoice.Id);
        var voided = await client.VoidInvoiceAsync(invoice.Id, "sdk test");
        Assert.Equal(("void", "sdk test"), (voided.Status, voided.VoidReason));
        var balance = await client.GetBalanceAsync("acme");
        Assert.Equal(1.50m, Assert.Single(balance.Balances).Granted);

        var rejected = await Assert.ThrowsAsync<Sdk.RulesBillingException>(() =>
            client.SendEventAsync(new Sdk.EventInput("agent://support", "ticket.resolved", "acme", new { other = 1 }) { Id = "bad" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.Status);
        Assert.Contains("ticket_id", rejected.Problem!.Detail, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<Sdk.RulesBillingException>(() => client.GetCustomerAsync("nobody"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task A_retried_batch_sends_the_same_event_ids_so_the_retry_is_counted_as_duplicates()
    {
        var handler = new LoseFirstAnswer();
        var (server, client) = await StartAsync("dotnet-retry", handler);
        await using var _ = server;
        using var __ = client;

        // No ids given: the client chooses them once, before the first attempt.
        var answer = await client.SendEventsAsync([Ticket(null), Ticket(null)]);

        Assert.Equal(2, handler.Calls);
        Assert.Equal((0, 2), (answer.Accepted, answer.Duplicates));
        var preview = await client.PreviewInvoiceAsync("acme", new DateTimeOffset(2026, 2, 15, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(4.00m, preview.Invoices[0].Total);
    }

    [Fact]
    public async Task The_batcher_flushes_in_the_background_and_on_dispose()
    {
        var (server, client) = await StartAsync("dotnet-batcher");
        await using var _ = server;
        using var __ = client;
        var errors = new List<Exception>();

        var batcher = client.CreateBatcher(maxBatch: 3, flushInterval: TimeSpan.FromMilliseconds(20), onError: errors.Add);
        batcher.Add(Ticket("b1"));
        batcher.Add(Ticket("b2"));
        // Fewer than maxBatch: the timer sends them.
        for (var i = 0; i < 500 && batcher.Totals.Accepted < 2; i++) await Task.Delay(10);
        Assert.Equal(2, batcher.Totals.Accepted);
        foreach (var id in new[] { "b3", "b4", "b5", "b6" }) batcher.Add(Ticket(id));
        await batcher.DisposeAsync();

        Assert.Equal((6, 0, 0), batcher.Totals);
        Assert.Empty(errors);
        var preview = await client.PreviewInvoiceAsync("acme", new DateTimeOffset(2026, 2, 15, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(12.00m, preview.Invoices[0].Total);
    }

    /// <summary>Forwards every request; the first answer is lost on the way back (503), as a proxy dropping it would.</summary>
    private sealed class LoseFirstAnswer() : DelegatingHandler(new HttpClientHandler())
    {
        public int Calls { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (++Calls > 1 || request.RequestUri!.AbsolutePath != "/v1/events") return response;
            response.Dispose();
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("{}") };
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
