using System.Net;
using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

/// <summary>Contract assignments through the API: stored effective-dated, honoured by the engine ahead of the rule files.</summary>
public sealed class ContractAssignmentTests
{
    private static async Task<HttpClient> TenantWithGoldAsync(ApiServer server)
    {
        var client = await server.TenantAsync("acme");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.WithGold))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/customers", new { id = "cust-1" })).StatusCode);
        var body = await ApiServer.ReadJsonAsync(await client.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event("e1", ticket: "T-1", time: "2026-10-05T10:00:00Z"),
            EventTests.Event("e2", ticket: "T-2", time: "2026-10-20T10:00:00Z"))));
        Assert.Equal(2, body["accepted"]!.GetValue<int>());
        return client;
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> PreviewAsync(HttpClient client, string at) =>
        (await ApiServer.ReadJsonAsync(await client.GetAsync($"/v1/customers/cust-1/invoices/preview?at={at}")))["invoices"]![0]!;

    [Fact]
    public async Task An_assignment_takes_effect_on_its_date_and_splits_the_period()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithGoldAsync(server);
        Assert.Equal("standard", (await PreviewAsync(acme, "2026-10-20T00:00:00Z"))["contract"]!.GetValue<string>());

        var assigned = await ApiServer.ReadJsonAsync(await acme.PutAsJsonAsync("/v1/customers/cust-1/contract",
            new { contract = "gold", version = 1, effectiveFrom = "2026-10-15" }));

        var contract = Assert.Single(assigned["contracts"]!.AsArray())!;
        Assert.Equal(("gold", 1, "2026-10-15"),
            (contract["contract"]!.GetValue<string>(), contract["version"]!.GetValue<int>(), contract["effectiveFrom"]!.GetValue<string>()));
        // Before the date the rule files decide (standard, 2 USD for T-1), from it gold (1 USD for T-2, base prorated 17/31).
        var before = await PreviewAsync(acme, "2026-10-05T00:00:00Z");
        Assert.Equal(("standard", "2026-10-01T00:00:00Z", "2.00"),
            (before["contract"]!.GetValue<string>(), before["period"]!["from"]!.GetValue<string>(), before["total"]!.GetValue<string>()));
        var after = await PreviewAsync(acme, "2026-10-20T00:00:00Z");
        Assert.Equal("gold", after["contract"]!.GetValue<string>());
        Assert.Equal(decimal.Round(10m * 17m / 31m, 2, MidpointRounding.AwayFromZero) + 1m, decimal.Parse(after["total"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var fetched = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1"));
        Assert.Equal("gold", fetched["contracts"]![0]!["contract"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_assignment_wins_over_the_rule_files_customer_list()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithGoldAsync(server);
        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/customers", new { id = "vip" })).StatusCode);
        await acme.PostAsync("/v1/events", EventTests.Single(EventTests.Event("v1", customer: "vip")));
        var preview = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/vip/invoices/preview?at=2026-10-15T00:00:00Z"));
        Assert.Equal("gold", preview["invoices"]![0]!["contract"]!.GetValue<string>());

        await acme.PutAsJsonAsync("/v1/customers/vip/contract", new { contract = "standard", effectiveFrom = "2026-01-01" });

        preview = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/vip/invoices/preview?at=2026-10-15T00:00:00Z"));
        Assert.Equal("standard", preview["invoices"]![0]!["contract"]!.GetValue<string>());
        Assert.Equal("2.00", preview["invoices"]![0]!["total"]!.GetValue<string>());
    }

    [Fact]
    public async Task Assignments_are_checked_against_the_rule_set_and_finalized_periods()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithGoldAsync(server);

        var unknown = await ApiServer.AssertProblemAsync(await acme.PutAsJsonAsync("/v1/customers/cust-1/contract", new { contract = "platinum" }), 422);
        Assert.Contains("contracts: gold, standard", unknown["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var version = await ApiServer.AssertProblemAsync(await acme.PutAsJsonAsync("/v1/customers/cust-1/contract", new { contract = "gold", version = 9 }), 422);
        Assert.Contains("versions: 1", version["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ApiServer.AssertProblemAsync(await acme.PutAsJsonAsync("/v1/customers/nobody/contract", new { contract = "gold" }), 404);
        await ApiServer.AssertProblemAsync(await acme.PutAsync("/v1/customers/cust-1/contract", ApiServer.Json("{\"contract\":\"gold\",\"effectiveFrom\":\"15 Oct\"}")), 400);

        var invoice = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }));
        Assert.Equal("standard", invoice["contract"]!.GetValue<string>());
        var late = await ApiServer.AssertProblemAsync(await acme.PutAsJsonAsync("/v1/customers/cust-1/contract",
            new { contract = "gold", effectiveFrom = "2026-10-15" }), 409);
        Assert.Contains("invoiced until 2026-11-01T00:00:00Z", late["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-1")))["contracts"]!.AsArray());

        var next = await acme.PutAsJsonAsync("/v1/customers/cust-1/contract", new { contract = "gold", effectiveFrom = "2026-11-01" });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        // The finalized October stays as billed: re-rating it finds nothing to correct.
        Assert.Empty((await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/customers/cust-1/corrections", null))).AsArray());
    }

    [Fact]
    public async Task Assignments_of_one_tenant_are_invisible_to_another()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await TenantWithGoldAsync(server);
        var globex = await server.TenantAsync("globex");
        await acme.PutAsJsonAsync("/v1/customers/cust-1/contract", new { contract = "gold", effectiveFrom = "2026-10-01" });

        await ApiServer.AssertProblemAsync(await globex.PutAsJsonAsync("/v1/customers/cust-1/contract", new { contract = "standard" }), 404);
        await globex.PostAsJsonAsync("/v1/customers", new { id = "cust-1" });
        Assert.Empty((await ApiServer.ReadJsonAsync(await globex.GetAsync("/v1/customers/cust-1")))["contracts"]!.AsArray());
        await globex.PostAsync("/v1/events", EventTests.Single(EventTests.Event("e1")));
        var preview = await ApiServer.ReadJsonAsync(await globex.GetAsync("/v1/customers/cust-1/invoices/preview?at=2026-10-15T00:00:00Z"));
        Assert.Equal("standard", preview["invoices"]![0]!["contract"]!.GetValue<string>());
    }
}
