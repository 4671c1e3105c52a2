using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Tests.Reliability;

/// <summary>
/// Finalizing January for many customers while the server is SIGKILLed at random moments between and inside the
/// steps (rate, number, store): after restarts and retries every customer has exactly one finalized invoice, the
/// numbers are INV-000001.. without gaps or repeats, and finalizing again returns the same invoice.
/// </summary>
public sealed class CrashDuringFinalizeTests
{
    private const string Tenant = "acme";
    private const int Customers = 12;

    [Fact]
    public async Task Each_period_is_finalized_and_numbered_once_across_sigkills()
    {
        await using var server = new ServeProcess(ReliabilityRules.Text);
        await server.StartAsync();
        var key = await server.CreateTenantAsync(Tenant);
        var events = Enumerable.Range(0, Customers * 10)
            .Select(i => ReliabilityRules.Event($"f-{i}", ReliabilityRules.Customer(i % Customers), i, 50 + i))
            .ToList();
        await CrashDuringIngestionTests.SendUntilAcknowledgedAsync(server, key, ReliabilityRules.Batch(events), events.Count);

        var random = new Random(7);
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        var killer = Task.Run(async () =>
        {
            for (var k = 0; k < ReliabilitySettings.Kills; k++)
            {
                await Task.Delay(random.Next(20, 400));
                await server.KillAsync();
                await server.StartAsync();
            }
        });
        var finalizer = Task.Run(async () =>
        {
            // Twice over every customer: the second round must return what the first stored.
            for (var round = 0; round < 2; round++)
            {
                for (var c = 0; c < Customers; c++)
                {
                    var customer = ReliabilityRules.Customer(c);
                    var invoice = await FinalizeUntilAnsweredAsync(server, key, customer);
                    var number = invoice["number"]!.GetValue<string>();
                    Assert.Equal("finalized", invoice["status"]!.GetValue<string>());
                    if (numbers.TryGetValue(customer, out var first)) Assert.Equal(first, number);
                    else numbers[customer] = number;
                }
            }
        });
        await Task.WhenAll(killer, finalizer).WaitAsync(ReliabilitySettings.Deadline);

        await server.KillAsync();
        using var store = new LiteDbBillingStore(server.Database);
        var invoices = store.ListInvoices(Tenant);
        Assert.Equal(Customers, invoices.Count);
        Assert.All(invoices, i => Assert.Equal(InvoiceStatus.Finalized, i.Status));
        Assert.Equal(Enumerable.Range(1, Customers).Select(n => $"INV-{n:D6}"), invoices.Select(i => i.Number!).Order(StringComparer.Ordinal));
        Assert.Equal(numbers.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)),
            invoices.OrderBy(i => i.Customer, StringComparer.Ordinal).Select(i => (i.Customer, i.Number!)));
        // The next number continues the sequence: a number taken by a killed, uncommitted finalize was given back.
        Assert.Equal(Customers + 1, store.NextInvoiceNumber(Tenant));
    }

    internal static async Task<JsonNode> FinalizeUntilAnsweredAsync(ServeProcess server, string key, string customer)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                using var http = server.Client(key, TimeSpan.FromSeconds(10));
                using var response = await http.PostAsJsonAsync($"/v1/customers/{customer}/invoices/finalize", new { periodFrom = ReliabilityRules.January });
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
                return JsonNode.Parse(body)!;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException("finalize was never answered");
    }
}
