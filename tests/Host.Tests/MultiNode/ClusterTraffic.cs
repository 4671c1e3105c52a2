using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.MultiNode;

/// <summary>Requests the multi-node tests send, and what they expect of every answer.</summary>
internal static class ClusterTraffic
{
    public const string October = "2026-10-01T00:00:00Z";

    /// <summary>A resolved ticket of <paramref name="customer"/> in October 2026 (one billable outcome, 2 USD).</summary>
    public static string Ticket(string customer, int n) =>
        EventTests.Event($"{customer}-ev-{n}", customer, $"{customer}-T-{n}", $"2026-10-{1 + n % 28:00}T10:00:00Z");

    /// <summary>Posts one batch; returns (accepted, duplicates).</summary>
    public static async Task<(int Accepted, int Duplicates)> SendAsync(HttpClient client, IReadOnlyList<string> batch)
    {
        var response = await client.PostAsync("/v1/events", EventTests.Batch([.. batch]));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"ingestion answered {(int)response.StatusCode}: {body}");
        var json = JsonNode.Parse(body)!;
        return (json["accepted"]!.GetValue<int>(), json["duplicates"]!.GetValue<int>());
    }

    public static async Task RegisterAsync(HttpClient client, string customer)
    {
        var response = await client.PostAsJsonAsync("/v1/customers", new { id = customer });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Finalizes October for the customer; the answer must be the finalized invoice.</summary>
    public static async Task<JsonNode> FinalizeAsync(HttpClient client, string customer)
    {
        var response = await client.PostAsJsonAsync($"/v1/customers/{customer}/invoices/finalize", new { periodFrom = October });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"finalize answered {(int)response.StatusCode}: {body}");
        var invoice = JsonNode.Parse(body)!;
        Assert.Equal("finalized", invoice["status"]!.GetValue<string>());
        return invoice;
    }

    /// <summary>Polls until <paramref name="reached"/> holds; bounded so a broken cluster fails instead of hanging.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> reached, string what, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await probe();
            if (reached(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"{what} never happened; last value {value}\n{diagnostics()}");
            await Task.Delay(100);
        }
    }
}
