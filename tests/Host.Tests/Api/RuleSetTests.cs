using System.Net;
using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

public sealed class RuleSetTests
{
    private static object Upload(string text, string? comment = null) => new { files = new[] { new { path = "pricing.rules", text } }, comment };

    [Fact]
    public async Task Uploads_are_numbered_listed_fetched_and_put_in_force()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");

        var created = await acme.PostAsJsonAsync("/v1/rulesets", Upload(TestRules.Valid, "first"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await ApiServer.ReadJsonAsync(created);
        Assert.Equal(1, view["version"]!.GetValue<int>());
        Assert.True(view["active"]!.GetValue<bool>());

        var list = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/rulesets"))).AsArray();
        Assert.Equal([0, 1], list.Select(r => r!["version"]!.GetValue<int>()));
        Assert.Equal([false, true], list.Select(r => r!["active"]!.GetValue<bool>()));
        var one = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/rulesets/1"));
        Assert.Equal(TestRules.Valid, one["files"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("first", one["comment"]!.GetValue<string>());
        await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/rulesets/7"), 404);
    }

    [Fact]
    public async Task An_invalid_upload_is_422_with_diagnostics_and_the_running_version_stays()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        await acme.PostAsJsonAsync("/v1/rulesets", Upload(TestRules.Valid));

        var problem = await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/rulesets", Upload(TestRules.Invalid)), 422);

        var diagnostic = problem["diagnostics"]![0]!;
        Assert.Equal("RB0101", diagnostic["code"]!.GetValue<string>());
        Assert.Equal("pricing.rules:1:21: error RB0101: unknown event type 'nowhere'", diagnostic["rendered"]!.GetValue<string>());
        Assert.Contains("running version stays", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var list = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/rulesets"))).AsArray();
        Assert.Equal([0, 1], list.Select(r => r!["version"]!.GetValue<int>()));
        Assert.True(list[1]!["active"]!.GetValue<bool>());
        // Events still validate against the running version.
        var ok = await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/events", EventTests.Single(EventTests.Event("e1"))));
        Assert.Equal(1, ok["accepted"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_plain_text_upload_is_one_file_and_bad_bodies_are_problems()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");

        var created = await acme.PostAsync("/v1/rulesets", ApiServer.Json(TestRules.Valid, "text/plain"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/rulesets", ApiServer.Json("{\"files\": [")), 400);
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/rulesets", new { files = Array.Empty<object>() }), 400);
        await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/rulesets", ApiServer.Json("x", "application/xml")), 415);
        Assert.Equal(2, (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/rulesets"))).AsArray().Count);
    }

    [Fact]
    public async Task Rule_sets_of_one_tenant_are_invisible_to_another()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        var globex = await server.TenantAsync("globex");
        await acme.PostAsJsonAsync("/v1/rulesets", Upload(TestRules.Valid));

        await ApiServer.AssertProblemAsync(await globex.GetAsync("/v1/rulesets/1"), 404);
        var list = (await ApiServer.ReadJsonAsync(await globex.GetAsync("/v1/rulesets"))).AsArray();
        Assert.Equal([0], list.Select(r => r!["version"]!.GetValue<int>()));
        Assert.True(list[0]!["active"]!.GetValue<bool>());
    }
}
