using System.Net;
using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

public sealed class BillingTests
{
    private static async Task<HttpClient> TenantWithUsageAsync(ApiServer server, string tenant = "acme")
    {
        var client = await server.TenantAsync(tenant);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/customers", new { id = "cust-1" })).StatusCode);
        var body = await ApiServer.ReadJsonAsync(await client.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event("e1", ticket: "T-1"),
            EventTests.Event("e2", ticket: "T-2", time: "2026-10-06T10:00:00Z"),
            EventTests.Event("e3", ticket: "T-1", time: "2026-10-07T10:00:00Z"))));
        Assert.Equal(3, body["accepted"]!.GetValue<int>());
        return client;
    }

    [Fact]
    public async Task Preview_explains_lines_and_stores_nothing()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithUsageAsync(server);

        var preview = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/invoices/preview?at=2026-10-15T00:00:00Z"));

        var invoice = preview["invoices"]![0]!;
        Assert.Equal("4.00", invoice["total"]!.GetValue<string>());
        var line = invoice["lines"]!.AsArray().Single(l => l!["rule"]!.GetValue<string>() == "resolved")!;
        Assert.Equal("2", line["quantity"]!.GetValue<string>());
        Assert.Equal("4.00", line["amount"]!.GetValue<string>());
        Assert.Contains(line["excluded"]!.AsArray(), e => e!["reason"]!.GetValue<string>() == "duplicate-key");
        Assert.Empty(preview["errors"]!.AsArray());
        Assert.Empty((await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/invoices"))).AsArray());
    }

    [Fact]
    public async Task A_script_priced_contract_previews_and_finalizes_in_the_contract_currency()
    {
        // Issue 12: a pricing whose only charge is a script has no price list; it used to answer 500 here.
        await using var server = await ApiServer.StartAsync(o => o with { AllowScripts = true }, TestRules.ScriptPriced);
        var acme = await TenantWithUsageAsync(server);

        var preview = await acme.GetAsync("/v1/customers/cust-1/invoices/preview?at=2026-10-15T00:00:00Z");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var body = await ApiServer.ReadJsonAsync(preview);
        var invoice = body["invoices"]![0]!;
        Assert.Equal(("USD", "4.00"), (invoice["currency"]!.GetValue<string>(), invoice["total"]!.GetValue<string>()));
        Assert.Empty(body["errors"]!.AsArray());

        var finalized = await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, finalized.StatusCode);
        Assert.Equal("4.00", (await ApiServer.ReadJsonAsync(finalized))["total"]!.GetValue<string>());
    }

    [Fact]
    public async Task Finalize_is_idempotent_and_invoices_are_listed_fetched_and_voided()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithUsageAsync(server);

        var first = await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstText = await first.Content.ReadAsStringAsync();
        var second = await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" });
        Assert.Equal(firstText, await second.Content.ReadAsStringAsync());

        var invoice = await ApiServer.ReadJsonAsync(first);
        Assert.Equal("finalized", invoice["status"]!.GetValue<string>());
        Assert.Equal("INV-000001", invoice["number"]!.GetValue<string>());
        var id = invoice["id"]!.GetValue<string>();
        var list = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/invoices?customer=cust-1"))).AsArray();
        Assert.Equal([id], list.Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal(firstText, await (await acme.GetAsync($"/v1/invoices/{id}")).Content.ReadAsStringAsync());

        var voided = await ApiServer.ReadJsonAsync(await acme.PostAsync($"/v1/invoices/{id}/void", null));
        Assert.Equal("void", voided["status"]!.GetValue<string>());
        var corrections = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/customers/cust-1/corrections", null));
        Assert.Empty(corrections.AsArray());
    }

    [Fact]
    public async Task Finalizing_an_open_period_is_422_problem_and_stores_nothing()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithUsageAsync(server);

        var problem = await ApiServer.AssertProblemAsync(
            await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2099-01-01T00:00:00Z" }), 422);
        Assert.Contains("has not ended", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/invoices"))).AsArray());
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/customers/nobody/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }), 404);
        await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/invoices/INV-999/void", null), 404);
        await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/invoices/INV-999/release", null), 404);
    }

    [Fact]
    public async Task Credits_are_granted_shown_in_the_ledger_and_applied_at_finalization()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithUsageAsync(server);

        var grant = await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "1.50", currency = "USD" });
        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        Assert.Equal("1.50", (await ApiServer.ReadJsonAsync(grant))["amount"]!.GetValue<string>());

        var invoice = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }));
        Assert.Equal("1.50", invoice["credits"]!.GetValue<string>());
        Assert.Equal("2.50", invoice["total"]!.GetValue<string>());

        var ledger = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/credits"));
        Assert.Equal("0.00", ledger["balances"]![0]!["amount"]!.GetValue<string>());
        Assert.Equal(["grant", "consumption"], ledger["entries"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_credit_grants_are_problems_and_write_nothing()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithUsageAsync(server);

        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "-5", currency = "USD" }), 400);
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "5", currency = "usd" }), 400);
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "1.001", currency = "USD" }), 422);
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/customers/nobody/credits", new { amount = "5", currency = "USD" }), 404);
        await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/customers/cust-1/credits", ApiServer.Json("{\"amount\":")), 400);

        var ledger = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1/credits"));
        Assert.Empty(ledger["grants"]!.AsArray());
        Assert.Empty(ledger["entries"]!.AsArray());
    }

    [Fact]
    public async Task Invoices_credits_and_contracts_of_one_tenant_are_invisible_to_another()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithUsageAsync(server, "acme");
        var globex = await server.TenantAsync("globex");
        await acme.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "1.00", currency = "USD" });
        var invoice = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }));
        var id = invoice["id"]!.GetValue<string>();

        await ApiServer.AssertProblemAsync(await globex.GetAsync($"/v1/invoices/{id}"), 404);
        await ApiServer.AssertProblemAsync(await globex.GetAsync("/v1/invoices/INV-000001"), 404);
        await ApiServer.AssertProblemAsync(await globex.PostAsync($"/v1/invoices/{id}/void", null), 404);
        Assert.Empty((await ApiServer.ReadJsonAsync(await globex.GetAsync("/v1/invoices"))).AsArray());
        await ApiServer.AssertProblemAsync(await globex.GetAsync("/v1/customers/cust-1/credits"), 404);
        await ApiServer.AssertProblemAsync(await globex.PostAsJsonAsync("/v1/customers/cust-1/credits", new { amount = "1", currency = "USD" }), 404);
        await ApiServer.AssertProblemAsync(await globex.PutAsJsonAsync("/v1/customers/cust-1/contract", new { contract = "standard" }), 404);
        await ApiServer.AssertProblemAsync(await globex.GetAsync("/v1/customers/cust-1/invoices/preview"), 404);
        Assert.Equal("finalized", (await ApiServer.ReadJsonAsync(await acme.GetAsync($"/v1/invoices/{id}")))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Guards_list_held_invoices_and_alerts()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithUsageAsync(server);

        Assert.Empty((await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/guards/held"))).AsArray());
        Assert.Empty((await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/guards/alerts"))).AsArray());
        var invoice = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }));
        var release = await ApiServer.AssertProblemAsync(await acme.PostAsync($"/v1/invoices/{invoice["id"]}/release", null), 422);
        Assert.Contains("only held invoices", release["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_guard_holds_the_invoice_until_it_is_released_then_finalizing_numbers_it()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.WithHoldingGuard))).StatusCode);
        await acme.PostAsync("/v1/events", EventTests.Batch(EventTests.Event("e1", ticket: "T-1"), EventTests.Event("e2", ticket: "T-2")));

        var held = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }));
        Assert.Equal("held", held["status"]!.GetValue<string>());
        Assert.Null(held["number"]);
        var id = held["id"]!.GetValue<string>();
        var heldList = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/guards/held"))).AsArray();
        Assert.Equal([id], heldList.Select(i => i!["id"]!.GetValue<string>()));
        var alert = Assert.Single((await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/guards/alerts"))).AsArray())!;
        Assert.Equal(("big_spend", "hold", id), (alert["guard"]!.GetValue<string>(), alert["action"]!.GetValue<string>(), alert["invoiceId"]!.GetValue<string>()));
        Assert.Contains("revenue 4.00 USD", alert["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        // Finalizing again while held changes nothing.
        var still = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }));
        Assert.Equal("held", still["status"]!.GetValue<string>());

        var released = await ApiServer.ReadJsonAsync(await acme.PostAsync($"/v1/invoices/{id}/release", null));
        Assert.Equal("draft", released["status"]!.GetValue<string>());
        Assert.Empty((await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/guards/held"))).AsArray());

        var finalized = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }));
        Assert.Equal(("finalized", "INV-000001", "4.00"),
            (finalized["status"]!.GetValue<string>(), finalized["number"]!.GetValue<string>(), finalized["total"]!.GetValue<string>()));
        var again = await ApiServer.AssertProblemAsync(await acme.PostAsync($"/v1/invoices/{finalized["id"]}/release", null), 422);
        Assert.Contains("only held invoices", again["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reversal_arriving_after_finalization_is_corrected_by_a_credit_note()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.WithHold))).StatusCode);
        // T-1 at Oct 5 and T-2 at Oct 10: both windows (72h) close in October, so both are billed there.
        await acme.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event("e1", ticket: "T-1", time: "2026-10-05T10:00:00Z"),
            EventTests.Event("e2", ticket: "T-2", time: "2026-10-10T10:00:00Z")));
        var invoice = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }));
        Assert.Equal(("finalized", "4.00"), (invoice["status"]!.GetValue<string>(), invoice["total"]!.GetValue<string>()));
        var invoiceId = invoice["id"]!.GetValue<string>();

        // The customer reopened T-1 on Oct 6 (inside its window), but the event only arrives now.
        var reopened = """{"specversion":"1.0","id":"r1","source":"agent","type":"ticket.reopened","subject":"cust-1","time":"2026-10-06T09:00:00Z","data":{"ticket":"T-1"}}""";
        Assert.Equal(1, (await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events", EventTests.Single(reopened))))["accepted"]!.GetValue<int>());

        var issued = (await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/customers/cust-1/corrections", null))).AsArray();
        var note = Assert.Single(issued)!;
        Assert.Equal(("credit-note", "finalized", "-2.00", invoiceId),
            (note["kind"]!.GetValue<string>(), note["status"]!.GetValue<string>(), note["total"]!.GetValue<string>(), note["corrects"]!.GetValue<string>()));
        Assert.Equal("INV-000002", note["number"]!.GetValue<string>());
        var noteId = note["id"]!.GetValue<string>();

        var listed = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/invoices?customer=cust-1"))).AsArray();
        Assert.Equal([invoiceId, noteId], listed.Select(i => i!["id"]!.GetValue<string>()));
        var fetched = await acme.GetAsync($"/v1/invoices/{noteId}");
        var text = await fetched.Content.ReadAsStringAsync();
        var line = Assert.Single((await ApiServer.ReadJsonAsync(fetched))["lines"]!.AsArray())!;
        Assert.Equal("-2.00", line["amount"]!.GetValue<string>());
        Assert.Contains("reversed-within-window", text, StringComparison.Ordinal);
        Assert.Contains("agent/r1", text, StringComparison.Ordinal);
        // The original stays as it was, and running corrections again issues nothing.
        Assert.Equal("4.00", (await ApiServer.ReadJsonAsync(await acme.GetAsync($"/v1/invoices/{invoiceId}")))["total"]!.GetValue<string>());
        Assert.Empty((await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/customers/cust-1/corrections", null))).AsArray());
    }
}
