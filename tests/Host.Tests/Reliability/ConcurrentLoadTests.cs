using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Tests.Reliability;

/// <summary>
/// Several clients ingest (with deliberate re-sends) while another previews, finalizes and lists invoices, all
/// against one <c>rulesbilling serve</c>: no event is lost or doubled, nothing deadlocks (the test has a deadline),
/// finalizing stays idempotent under load, and the file opens cleanly afterwards.
/// </summary>
public sealed class ConcurrentLoadTests
{
    private const string Tenant = "acme";

    [Fact]
    public async Task Ingesting_clients_and_a_finalizer_neither_lose_nor_double_events()
    {
        var writers = ReliabilitySettings.Long ? 8 : 4;
        var batchesPerWriter = ReliabilitySettings.Long ? 100 : 15;
        const int batchSize = 25;
        const int customers = 4;

        await using var server = new ServeProcess(ReliabilityRules.Text);
        await server.StartAsync();
        var key = await server.CreateTenantAsync(Tenant);

        // A customer whose January is complete before the load starts; the finalizer closes it again and again.
        var closed = Enumerable.Range(0, 30).Select(i => ReliabilityRules.Event($"closed-{i}", "closed-customer", i, 100)).ToList();
        await CrashDuringIngestionTests.SendUntilAcknowledgedAsync(server, key, ReliabilityRules.Batch(closed), closed.Count);

        var sent = new List<string>[writers];
        var ingest = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            sent[w] = [];
            using var http = server.Client(key);
            for (var b = 0; b < batchesPerWriter; b++)
            {
                var events = Enumerable.Range(0, batchSize)
                    .Select(i => ReliabilityRules.Event($"w{w}-{b}-{i}", ReliabilityRules.Customer((w + i) % customers), b, i + 1))
                    .ToList();
                var batch = ReliabilityRules.Batch(events);
                await CrashDuringIngestionTests.SendUntilAcknowledgedAsync(server, key, batch, batchSize);
                // Every third batch is sent twice, as a client that lost the first answer would.
                if (b % 3 == 0) await CrashDuringIngestionTests.SendUntilAcknowledgedAsync(server, key, batch, batchSize);
                sent[w].AddRange(events);
            }
        })).ToList();

        var stop = false;
        var finalizedNumbers = new HashSet<string>(StringComparer.Ordinal);
        var finalizer = Task.Run(async () =>
        {
            using var http = server.Client(key);
            while (!Volatile.Read(ref stop))
            {
                var finalize = await http.PostAsJsonAsync("/v1/customers/closed-customer/invoices/finalize", new { periodFrom = ReliabilityRules.January });
                Assert.Equal(HttpStatusCode.OK, finalize.StatusCode);
                finalizedNumbers.Add(JsonNode.Parse(await finalize.Content.ReadAsStringAsync())!["number"]!.GetValue<string>());
                var preview = await http.GetAsync($"/v1/customers/{ReliabilityRules.Customer(0)}/invoices/preview?at=2026-01-15T00:00:00Z");
                Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/invoices")).StatusCode);
            }
        });

        await Task.WhenAll(ingest).WaitAsync(ReliabilitySettings.Deadline);
        stop = true;
        await finalizer.WaitAsync(ReliabilitySettings.Deadline);
        Assert.Equal(["INV-000001"], finalizedNumbers);

        var all = closed.Concat(sent.SelectMany(s => s)).ToList();
        var simulated = DryRunSession.Run(ReliabilityRules.Compile(), new StringReader(string.Join("\n", all)), TimeProvider.System,
            ReliabilityRules.January, ReliabilityRules.January.AddMonths(1));
        using (var http = server.Client(key))
        {
            foreach (var expected in simulated.Invoices.Where(i => i.Customer != "closed-customer"))
            {
                var preview = JsonNode.Parse(await http.GetStringAsync($"/v1/customers/{expected.Customer}/invoices/preview?at=2026-01-15T00:00:00Z"))!;
                Assert.Equal(expected.Total.ToString("0.00", CultureInfo.InvariantCulture), preview["invoices"]![0]!["total"]!.GetValue<string>());
            }
        }

        await server.KillAsync();
        using var store = new LiteDbBillingStore(server.Database);
        var stored = store.ReadEvents(Tenant).ToList();
        Assert.Equal(all.Count, stored.Count);
        Assert.Equal(all.Count, stored.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Enumerable.Range(1, all.Count).Select(n => (long)n), stored.Select(e => e.Sequence).Order());
        Assert.Single(store.ListInvoices(Tenant));
    }
}
