using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RulesBilling.Host.Tests.Api;

/// <summary>Void reasons, which customers credits accept, the default grant priority and money precision in answers.</summary>
public sealed partial class VoidAndCreditTests
{
    /// <summary>cust-1 is registered; cust-9 is only the subject of events. Each has two resolved tickets in October: 4.00 USD.</summary>
    private static async Task<HttpClient> TenantAsync(ApiServer server)
    {
        var acme = await server.TenantAsync("acme");
        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/customers", new { id = "cust-1" })).StatusCode);
        await acme.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event("e1", ticket: "T-1"), EventTests.Event("e2", ticket: "T-2"),
            EventTests.Event("e3", customer: "cust-9", ticket: "T-1"), EventTests.Event("e4", customer: "cust-9", ticket: "T-2")));
        return acme;
    }

    private static Task<HttpResponseMessage> FinalizeAsync(HttpClient acme, string customer) =>
        acme.PostAsJsonAsync($"/v1/customers/{customer}/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" });

    [Fact]
    public async Task A_void_reason_is_recorded_on_the_invoice_and_in_the_audit_trail()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantAsync(server);
        var id = (await ApiServer.ReadJsonAsync(await FinalizeAsync(acme, "cust-1")))["id"]!.GetValue<string>();

        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync($"/v1/invoices/{id}/void", new { reason = " " }), 400);
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync($"/v1/invoices/{id}/void", new { reason = new string('x', 501) }), 400);
        Assert.Equal("finalized", (await ApiServer.ReadJsonAsync(await acme.GetAsync($"/v1/invoices/{id}")))["status"]!.GetValue<string>());

        var voided = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync($"/v1/invoices/{id}/void", new { reason = "duplicate of INV-7" }));
        Assert.Equal(("void", "duplicate of INV-7"), (voided["status"]!.GetValue<string>(), voided["voidReason"]!.GetValue<string>()));
        Assert.True(voided["voidedAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(-5));
        var fetched = await ApiServer.ReadJsonAsync(await acme.GetAsync($"/v1/invoices/{id}"));
        Assert.Equal("duplicate of INV-7", fetched["voidReason"]!.GetValue<string>());
        var audit = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/audit"))).AsArray();
        Assert.Contains(audit, a => a!["action"]!.GetValue<string>() == $"invoice.void {id} reason: duplicate of INV-7" && a["succeeded"]!.GetValue<bool>());

        // Without a body the reason is null, and finalized invoices carry neither field.
        var other = (await ApiServer.ReadJsonAsync(await FinalizeAsync(acme, "cust-9")))["id"]!.GetValue<string>();
        Assert.Null((await ApiServer.ReadJsonAsync(await acme.GetAsync($"/v1/invoices/{other}")))["voidReason"]);
        var bare = await ApiServer.ReadJsonAsync(await acme.PostAsync($"/v1/invoices/{other}/void", null));
        Assert.Equal("null", Presence(bare, "voidReason"));
    }

    private static string Presence(JsonNode node, string property) =>
        node.AsObject().TryGetPropertyValue(property, out var value) ? (value is null ? "null" : value.GetValueKind().ToString()) : "absent";

    [Fact]
    public async Task Credits_accept_the_customers_that_preview_and_finalize_accept()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantAsync(server);

        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/v1/customers/cust-9/invoices/preview?at=2026-10-15T00:00:00Z")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/customers/cust-9/credits", new { amount = "1.00", currency = "USD" })).StatusCode);
        var ledger = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-9/credits"));
        Assert.Equal("1.00", ledger["balances"]![0]!["amount"]!.GetValue<string>());
        var invoice = await ApiServer.ReadJsonAsync(await FinalizeAsync(acme, "cust-9"));
        Assert.Equal(("1.00", "3.00"), (invoice["credits"]!.GetValue<string>(), invoice["total"]!.GetValue<string>()));

        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/customers/nobody/credits", new { amount = "1", currency = "USD" }), 404);
        await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers/nobody/credits"), 404);
    }

    [Fact]
    public async Task A_grant_without_priority_is_consumed_after_prioritized_grants()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantAsync(server);

        // Granted first and with no expiry: only the priority puts it last.
        var plain = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "5", currency = "USD" }));
        Assert.Equal(50, plain["priority"]!.GetValue<int>());
        var promo = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "3", currency = "USD", priority = 10 }));
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "3", currency = "USD", priority = 51 }), 400);

        var invoice = await ApiServer.ReadJsonAsync(await FinalizeAsync(acme, "cust-1"));
        var applied = invoice["creditApplications"]!.AsArray().Select(c => (c!["grant"]!.GetValue<string>(), c["amount"]!.GetValue<string>())).ToList();
        Assert.Equal([(promo["id"]!.GetValue<string>(), "3.00"), (plain["id"]!.GetValue<string>(), "1.00")], applied);
    }

    [Fact]
    public async Task Money_in_credit_ledger_and_balance_answers_has_the_currency_minor_digits()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantAsync(server);

        var answers = new List<JsonNode>
        {
            await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "10", currency = "USD" })),
            await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = 2.5, currency = "USD" })),
            await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "3.45", currency = "KWD" })),
            await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "1000.0", currency = "JPY", priority = 1 })),
        };
        Assert.Equal(["10.00", "2.50", "3.450", "1000"], answers.Select(a => a["amount"]!.GetValue<string>()));
        answers.Add(await ApiServer.ReadJsonAsync(await FinalizeAsync(acme, "cust-1")));
        answers.Add(await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/credits")));
        answers.Add(await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/balance")));

        var scanned = 0;
        foreach (var answer in answers) scanned += Scan(answer, null);
        Assert.True(scanned >= 20, $"scanned {scanned} amounts");
    }

    private static readonly string[] MoneyFields = ["amount", "balanceAfter", "granted", "committed", "pending", "available", "availableAfterPending", "subtotal", "credits", "total"];

    /// <summary>Checks every money field of every object with a currency (its own or its parent's); returns how many.</summary>
    private static int Scan(JsonNode? node, string? currency)
    {
        var count = 0;
        switch (node)
        {
            case JsonObject o:
                currency = o["currency"] is JsonValue c ? c.GetValue<string>() : currency;
                foreach (var (name, value) in o)
                {
                    if (currency is not null && MoneyFields.Contains(name) && value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    {
                        var digits = currency switch { "JPY" => 0, "KWD" => 3, _ => 2 };
                        var pattern = digits == 0 ? @"^-?\d+$" : $@"^-?\d+\.\d{{{digits}}}$";
                        Assert.Matches(new Regex(pattern), v.GetValue<string>());
                        count++;
                    }
                    else count += Scan(value, currency);
                }
                break;
            case JsonArray a:
                foreach (var item in a) count += Scan(item, currency);
                break;
        }
        return count;
    }
}
