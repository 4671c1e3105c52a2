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
}
