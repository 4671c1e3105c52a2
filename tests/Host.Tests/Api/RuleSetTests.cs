using System.Net;
using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

public sealed class RuleSetTests
{
    private static async Task<string> PreviewTotalAsync(HttpClient client) =>
        (await ApiServer.ReadJsonAsync(await client.GetAsync("/v1/customers/cust-1/invoices/preview?at=2026-10-15T00:00:00Z")))
        ["invoices"]![0]!["total"]!.GetValue<string>();

    [Fact]
    public async Task Uploads_are_numbered_listed_fetched_and_put_in_force()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        await acme.PostAsync("/v1/events", EventTests.Single(EventTests.Event("e1")));
        Assert.Equal("2.00", await PreviewTotalAsync(acme));

        var created = await acme.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.SupportAtThree, "first"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await ApiServer.ReadJsonAsync(created);
        Assert.Equal(1, view["version"]!.GetValue<int>());
        Assert.True(view["active"]!.GetValue<bool>());
        Assert.Equal(["standard"], view["contracts"]!.AsArray().Select(c => c!.GetValue<string>()));

        var list = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/rulesets"))).AsArray();
        Assert.Equal([0, 1], list.Select(r => r!["version"]!.GetValue<int>()));
        Assert.Equal([false, true], list.Select(r => r!["active"]!.GetValue<bool>()));
        var one = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/rulesets/1"));
        Assert.Equal(TestRules.SupportAtThree, one["files"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("first", one["comment"]!.GetValue<string>());
        Assert.Equal(view["hash"]!.GetValue<string>(), one["hash"]!.GetValue<string>());
        await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/rulesets/7"), 404);
        // The upload is what rates now: the same event at the new price.
        Assert.Equal("3.00", await PreviewTotalAsync(acme));
    }

    [Fact]
    public async Task An_invalid_upload_is_422_with_diagnostics_and_the_running_version_stays()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        await acme.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.SupportAtThree));

        var problem = await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.Invalid)), 422);

        var diagnostic = problem["diagnostics"]!.AsArray().First(d => d!["code"]!.GetValue<string>() == "RB0101")!;
        Assert.Equal("pricing.rules", diagnostic["file"]!.GetValue<string>());
        Assert.Equal(1, diagnostic["line"]!.GetValue<int>());
        Assert.StartsWith("pricing.rules:1:", diagnostic["rendered"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("error RB0101", diagnostic["rendered"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("nowhere", diagnostic["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("running version stays", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var list = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/rulesets"))).AsArray();
        Assert.Equal([0, 1], list.Select(r => r!["version"]!.GetValue<int>()));
        Assert.True(list[1]!["active"]!.GetValue<bool>());
        // Events still validate and rate against the running version.
        var ok = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events", EventTests.Single(EventTests.Event("e1"))));
        Assert.Equal(1, ok["accepted"]!.GetValue<int>());
        Assert.Equal("3.00", await PreviewTotalAsync(acme));
    }

    [Fact]
    public async Task A_plain_text_upload_is_one_file_and_bad_bodies_are_problems()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");

        var created = await acme.PostAsync("/v1/rulesets", ApiServer.Json(TestRules.SupportAtThree, "text/plain"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var one = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/rulesets/1"));
        Assert.Equal("upload.rules", one["files"]![0]!["path"]!.GetValue<string>());
        await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/rulesets", ApiServer.Json("{\"files\": [")), 400);
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/rulesets", new { files = Array.Empty<object>() }), 400);
        await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/rulesets", ApiServer.Json("x", "application/xml")), 415);
        Assert.Equal(2, (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/rulesets"))).AsArray().Count);
    }

    [Fact]
    public async Task A_rule_set_split_over_several_files_is_checked_as_one()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        var split = TestRules.SupportAtThree.IndexOf("outcome", StringComparison.Ordinal);
        var files = new[]
        {
            new { path = "events.rules", text = TestRules.SupportAtThree[..split] },
            new { path = "billing.rules", text = TestRules.SupportAtThree[split..] },
        };

        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/rulesets", new { files })).StatusCode);
        var missingEvents = await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/rulesets", new { files = new[] { files[1] } }), 422);
        Assert.Contains("billing.rules:", missingEvents["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rule_sets_of_one_tenant_are_invisible_to_another()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        var globex = await server.TenantAsync("globex");
        await acme.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.SupportAtThree));

        await ApiServer.AssertProblemAsync(await globex.GetAsync("/v1/rulesets/1"), 404);
        var list = (await ApiServer.ReadJsonAsync(await globex.GetAsync("/v1/rulesets"))).AsArray();
        Assert.Equal([0], list.Select(r => r!["version"]!.GetValue<int>()));
        Assert.True(list[0]!["active"]!.GetValue<bool>());
        await globex.PostAsync("/v1/events", EventTests.Single(EventTests.Event("e1")));
        Assert.Equal("2.00", await PreviewTotalAsync(globex));
    }

    [Fact]
    public async Task Stored_rule_sets_survive_a_restart()
    {
        await using var first = await ApiServer.StartAsync();
        var acme = await first.TenantAsync("acme");
        await acme.PostAsync("/v1/events", EventTests.Single(EventTests.Event("e1")));
        var uploaded = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.SupportAtThree, "v1")));
        var key = acme.DefaultRequestHeaders.Authorization!.Parameter!;

        await using var second = await first.RestartAsync();
        using var again = second.Client(key);

        var list = (await ApiServer.ReadJsonAsync(await again.GetAsync("/v1/rulesets"))).AsArray();
        Assert.Equal([0, 1], list.Select(r => r!["version"]!.GetValue<int>()));
        Assert.Equal([false, true], list.Select(r => r!["active"]!.GetValue<bool>()));
        Assert.Equal(uploaded["hash"]!.GetValue<string>(), list[1]!["hash"]!.GetValue<string>());
        Assert.Equal("v1", list[1]!["comment"]!.GetValue<string>());
        // Recompiled from its stored text: the stored event is rated at the uploaded price, not the start-up one.
        Assert.Equal("3.00", await PreviewTotalAsync(again));
    }
}
