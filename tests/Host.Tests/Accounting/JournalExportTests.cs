using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RulesBilling.Engine.Tests.Payments.Fakes;
using RulesBilling.Host.Api;
using RulesBilling.Host.Tests.Api;
using RulesBilling.Host.Tests.Cli;
using RulesBilling.Host.Tests.Payments;

namespace RulesBilling.Host.Tests.Accounting;

/// <summary>
/// Issue 17: the journal of a real server (127.0.0.1, LiteDB file) — an October invoice pushed to the fake Stripe, paid
/// in part by a signed invoice.paid webhook — exported by <c>GET /v1/journal</c> as CSV and as QuickBooks JournalEntry
/// JSON, and by <c>rulesbilling journal</c> on the same file after the server stopped, with the same bytes.
/// </summary>
public sealed class JournalExportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rb-journal", Guid.NewGuid().ToString("N"));

    public JournalExportTests() => Directory.CreateDirectory(_folder);

    private string Database => Path.Combine(_folder, "billing.db");

    [Fact]
    public async Task A_partial_payment_webhook_updates_the_payment_state_and_the_journal_the_api_and_the_cli_export()
    {
        await using var world = await PaymentWorld.StartAsync(o => o with { DatabasePath = Database });
        var invoice = await world.FinalizeAsync("cust-1", "stripe");
        var invoiceId = invoice["id"]!.GetValue<string>();
        await world.WaitForPaymentAsync(invoiceId, p => PaymentWorld.InState(p, "sent"));
        var body = new JsonObject
        {
            ["id"] = "evt_partial_1", ["object"] = "event", ["type"] = "invoice.paid", ["created"] = new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(),
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = "in_x", ["object"] = "invoice", ["currency"] = "usd", ["amount_paid"] = 150, ["amount_remaining"] = 250,
                    ["metadata"] = new JsonObject { ["engine_invoice_id"] = invoiceId },
                },
            },
        }.ToJsonString();
        using var anonymous = world.Server.Client();
        var posted = await PaymentWorld.PostStripeWebhookAsync(anonymous, PaymentWorld.Tenant, body, PaymentWorld.StripeSignature(body, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var payment = await world.WaitForPaymentAsync(invoiceId, p => PaymentWorld.InState(p, "partiallyPaid"));
        Assert.Equal(("1.50", "0.00"), (payment["payment"]!["amountPaid"]!.GetValue<string>(), payment["payment"]!["amountRefunded"]!.GetValue<string>()));

        var csvResponse = await world.Acme.GetAsync("/v1/journal?from=2026-10-01&to=2026-12-01");
        var csv = await csvResponse.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        var rows = csv.TrimEnd('\n').Split('\n');
        Assert.Equal(Engine.Accounting.JournalCsv.Header, rows[0]);
        // The invoice (4.00 USD: two tickets at 2 USD) is issued on Nov 1; 1.50 is received on Nov 3.
        Assert.Contains(rows, r => r.Contains(",2026-11-01,invoice,cust-1,USD,", StringComparison.Ordinal) && r.Contains(",1100,Accounts receivable,4.00,,", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains(",2026-11-03,payment,cust-1,USD,", StringComparison.Ordinal) && r.Contains(",1000,Cash,1.50,,", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains(",2026-11-03,payment,cust-1,USD,", StringComparison.Ordinal) && r.Contains(",1100,Accounts receivable,,1.50,", StringComparison.Ordinal));

        var qboResponse = await world.Acme.GetAsync("/v1/journal?from=2026-10-01&to=2026-12-01&format=qbo");
        Assert.Equal("application/json", qboResponse.Content.Headers.ContentType!.MediaType);
        var entries = JsonNode.Parse(await qboResponse.Content.ReadAsStringAsync())!.AsArray();
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            var lines = entry!["Line"]!.AsArray();
            decimal Sum(string posting) => lines.Where(l => l!["JournalEntryLineDetail"]!["PostingType"]!.GetValue<string>() == posting).Sum(l => l!["Amount"]!.GetValue<decimal>());
            Assert.Equal(Sum("Debit"), Sum("Credit"));
            Assert.True(entry["DocNumber"]!.GetValue<string>().Length <= 21);
            Assert.Equal("USD", entry["CurrencyRef"]!["value"]!.GetValue<string>());
        }
        var paymentEntry = entries.Single(e => e!["PrivateNote"]!.GetValue<string>().Contains("[payment ", StringComparison.Ordinal))!;
        Assert.Equal("2026-11-03", paymentEntry["TxnDate"]!.GetValue<string>());
        var receivable = paymentEntry["Line"]!.AsArray().Single(l => l!["JournalEntryLineDetail"]!["AccountRef"]!["value"]!.GetValue<string>() == "1100")!;
        Assert.Equal(("Credit", 1.50m, "cust-1"), (receivable["JournalEntryLineDetail"]!["PostingType"]!.GetValue<string>(), receivable["Amount"]!.GetValue<decimal>(),
            receivable["JournalEntryLineDetail"]!["Entity"]!["EntityRef"]!["value"]!.GetValue<string>()));

        var bad = await world.Acme.GetAsync("/v1/journal?from=November");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        Assert.Contains("from must be a date", (await ApiServer.ReadJsonAsync(bad))["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await world.Server.DisposeAsync();
        var rules = Path.Combine(_folder, "support.rules");
        await File.WriteAllTextAsync(rules, PaymentWorld.Rules);
        var cli = CliProcess.Run(_folder, "journal", "--db", Database, "--tenant", PaymentWorld.Tenant, "--rules", rules, "--from", "2026-10-01", "--to", "2026-12-01");
        Assert.True(cli.ExitCode == 0, cli.Stdout + cli.Stderr);
        Assert.Equal(csv, cli.Stdout);
        // The same journal pushed to the fake QuickBooks company, then pushed again: nothing is sent twice.
        using var quickBooks = new FakeQuickBooks("4620816365171234", "qbo-token-cli");
        var expired = CliProcess.RunWithEnvironment(_folder, new Dictionary<string, string> { ["RULESBILLING_QUICKBOOKS_TOKEN"] = "qbo-token-expired" },
            "journal", "--db", Database, "--tenant", PaymentWorld.Tenant, "--rules", rules,
            "--push", "--quickbooks-realm", "4620816365171234", "--quickbooks-api-base", quickBooks.BaseUrl);
        Assert.Equal(1, expired.ExitCode);
        Assert.Contains("needs-human je_", expired.Stdout, StringComparison.Ordinal);
        Assert.Contains("QuickBooks 401 AuthenticationFault", expired.Stdout, StringComparison.Ordinal);
        // Giving the company again with a fresh token retries the refused entries.
        var environment = new Dictionary<string, string> { ["RULESBILLING_QUICKBOOKS_TOKEN"] = "qbo-token-cli" };
        var pushed = CliProcess.RunWithEnvironment(_folder, environment, "journal", "--db", Database, "--tenant", PaymentWorld.Tenant, "--rules", rules,
            "--push", "--quickbooks-realm", "4620816365171234", "--quickbooks-api-base", quickBooks.BaseUrl);
        var again = CliProcess.Run(_folder, "journal", "--db", Database, "--tenant", PaymentWorld.Tenant, "--rules", rules, "--push");
        Assert.True(pushed.ExitCode == 0, pushed.Stdout + pushed.Stderr);
        var entryCount = rows.Skip(1).Select(r => r.Split(',')[0]).Distinct().Count();
        Assert.EndsWith($"{entryCount} pushed: {entryCount} done\n", pushed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("qbo-token-cli", pushed.Stdout + pushed.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, $"nothing to push: {entryCount} entries already in QuickBooks\n"), (again.ExitCode, again.Stdout));
        Assert.Equal(entryCount, quickBooks.JournalEntries.Count);

        var noRules = CliProcess.Run(_folder, "journal", "--db", Database, "--tenant", PaymentWorld.Tenant);
        Assert.Equal((2, "rulesbilling: tenant 'acme' has no uploaded rule set in the database; give the rules the server bills with (--rules)\n"), (noRules.ExitCode, noRules.Stderr));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a stopping process is left to the OS temp cleanup.
        }
    }
}
