using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Tests.Reliability;

/// <summary>
/// A client streams event batches to a <c>rulesbilling serve</c> process that is SIGKILLed at random moments and
/// restarted on the same LiteDB file; the client retries every batch it has no acknowledgement for. Afterwards
/// every acknowledged event is stored exactly once and the invoice equals the one simulated from the client's record.
/// The kill moments come from a fixed seed; the outcome checked does not depend on where they land.
/// </summary>
public sealed class CrashDuringIngestionTests
{
    private const string Tenant = "acme";
    private const int Customers = 3;
    private const int BatchSize = 20;
    private const int MinimumBatches = 40;

    [Fact]
    public async Task Every_acknowledged_event_survives_sigkill_exactly_once_and_bills_as_simulated()
    {
        await using var server = new ServeProcess(ReliabilityRules.Text);
        await server.StartAsync();
        var key = await server.CreateTenantAsync(Tenant);
        var random = new Random(20261125);
        var killsDone = 0;
        var killerFinished = false;
        var acknowledged = new List<string>();

        var killer = Task.Run(async () =>
        {
            for (var k = 0; k < ReliabilitySettings.Kills; k++)
            {
                await Task.Delay(random.Next(150, 900));
                await server.KillAsync();
                killsDone++;
                await server.StartAsync();
            }
            killerFinished = true;
        });

        var client = Task.Run(async () =>
        {
            for (var b = 0; !Volatile.Read(ref killerFinished) || b < MinimumBatches; b++)
            {
                var events = Enumerable.Range(0, BatchSize)
                    .Select(i => ReliabilityRules.Event($"e-{b}-{i}", ReliabilityRules.Customer((b + i) % Customers), b, (b * 7 + i) % 500 + 1))
                    .ToList();
                await SendUntilAcknowledgedAsync(server, key, ReliabilityRules.Batch(events), BatchSize);
                acknowledged.AddRange(events);
            }
        });

        await Task.WhenAll(killer, client).WaitAsync(ReliabilitySettings.Deadline);
        Assert.Equal(ReliabilitySettings.Kills, killsDone);

        // The invoice the server drafts equals the one computed from the client's own record alone.
        var simulated = DryRunSession.Run(ReliabilityRules.Compile(), new StringReader(string.Join("\n", acknowledged)), TimeProvider.System,
            ReliabilityRules.January, ReliabilityRules.January.AddMonths(1));
        Assert.Equal(Customers, simulated.Invoices.Count);
        using (var http = server.Client(key))
        {
            foreach (var expected in simulated.Invoices)
            {
                var preview = JsonNode.Parse(await http.GetStringAsync($"/v1/customers/{expected.Customer}/invoices/preview?at=2026-01-15T00:00:00Z"))!;
                Assert.Empty(preview["errors"]!.AsArray());
                var invoice = preview["invoices"]![0]!;
                Assert.Equal(expected.Total.ToString("0.00", CultureInfo.InvariantCulture), invoice["total"]!.GetValue<string>());
                var lines = invoice["lines"]!.AsArray().Select(l => (l!["description"]!.GetValue<string>(), l["amount"]!.GetValue<string>())).ToList();
                Assert.Equal(expected.Lines.Select(l => (l.Description, l.Amount.ToString("0.00", CultureInfo.InvariantCulture))).ToList(), lines);
            }
        }

        // Straight from the file after one more SIGKILL: each acknowledged event once, nothing else.
        await server.KillAsync();
        using var store = new LiteDbBillingStore(server.Database);
        var stored = store.ReadEvents(Tenant).Select(e => e.Id).ToList();
        var sent = acknowledged.Select(e => JsonNode.Parse(e)!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(sent.Count, stored.Count);
        Assert.Equal(sent.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Posts until a 200 arrives. A connection error or a timeout means "unknown": the batch may or may not have
    /// committed, so it is sent again, and the answer must then count each event as accepted or duplicate.
    /// </summary>
    internal static async Task SendUntilAcknowledgedAsync(ServeProcess server, string key, string batch, int size)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                using var http = server.Client(key, TimeSpan.FromSeconds(10));
                using var content = new StringContent(batch, Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents-batch+json");
                using var response = await http.PostAsync("/v1/events", content);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
                var result = JsonNode.Parse(body)!;
                Assert.Equal(0, result["rejected"]!.GetValue<int>());
                Assert.Equal(size, result["accepted"]!.GetValue<int>() + result["duplicates"]!.GetValue<int>());
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The server is down or restarting: no acknowledgement, so retry.
                await Task.Delay(100);
            }
        }
        Assert.Fail("the batch was never acknowledged");
    }
}
