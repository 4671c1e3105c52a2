using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

/// <summary>Bad parameters and bodies are answered with a detail that names what is wrong and never a .NET type.</summary>
public sealed class RequestErrorTests
{
    private static async Task<string> DetailAsync(HttpResponseMessage response, int status = 400)
    {
        var problem = await ApiServer.AssertProblemAsync(response, status);
        var detail = problem["detail"]!.GetValue<string>();
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("RulesBilling.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("DateTimeOffset", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Request", detail, StringComparison.Ordinal);
        return detail;
    }

    [Fact]
    public async Task A_bad_query_or_route_parameter_is_named_with_its_expected_format()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        await acme.PostAsJsonAsync("/v1/customers", new { id = "cust-1" });

        foreach (var path in new[] { "/v1/customers/cust-1/invoices/preview", "/v1/customers/cust-1/usage", "/v1/customers/cust-1/outcomes", "/v1/customers/cust-1/entitlements" })
        {
            var detail = await DetailAsync(await acme.GetAsync(path + "?at=yesterday"));
            Assert.Equal("Query parameter 'at' must be an ISO 8601 instant such as \"2026-10-15T00:00:00Z\", not 'yesterday'.", detail);
        }
        Assert.Equal("'state' must be one of billable, pending, reversed (got 'maybe').",
            await DetailAsync(await acme.GetAsync("/v1/customers/cust-1/outcomes?state=maybe")));
        Assert.Equal("Route parameter 'version' must be an integer, not 'latest'.", await DetailAsync(await acme.GetAsync("/v1/rulesets/latest")));
    }

    [Fact]
    public async Task Body_errors_name_the_missing_unknown_null_or_mistyped_property_by_json_path()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        await acme.PostAsJsonAsync("/v1/customers", new { id = "cust-1" });

        Assert.Equal("Missing required property '$.periodFrom'.",
            await DetailAsync(await acme.PostAsync("/v1/customers/cust-1/invoices/finalize", ApiServer.Json("{}"))));
        Assert.Equal("Unknown property '$.periodTo'.",
            await DetailAsync(await acme.PostAsync("/v1/customers/cust-1/invoices/finalize", ApiServer.Json("""{"periodFrom":"2026-10-01T00:00:00Z","periodTo":"x"}"""))));
        Assert.Equal("Property '$.periodFrom' has the wrong type: expected an ISO 8601 instant such as \"2026-10-15T00:00:00Z\".",
            await DetailAsync(await acme.PostAsync("/v1/customers/cust-1/invoices/finalize", ApiServer.Json("""{"periodFrom":"October"}"""))));
        Assert.Equal("Property '$.id' must not be null.", await DetailAsync(await acme.PostAsync("/v1/customers", ApiServer.Json("""{"id":null}"""))));
        Assert.Equal("Unknown property '$.bogus'.", await DetailAsync(await acme.PostAsync("/v1/customers", ApiServer.Json("""{"id":"x","bogus":1}"""))));
        Assert.Equal("Property '$.priority' has the wrong type: expected an integer.",
            await DetailAsync(await acme.PostAsync("/v1/customers/cust-1/credits", ApiServer.Json("""{"amount":"5","currency":"USD","priority":"high"}"""))));
        Assert.StartsWith("Property '$.amount' is invalid: expected a decimal number",
            await DetailAsync(await acme.PostAsync("/v1/customers/cust-1/credits", ApiServer.Json("""{"amount":"five","currency":"USD"}"""))), StringComparison.Ordinal);
        Assert.Equal("Missing required properties '$.amount', '$.currency'.",
            await DetailAsync(await acme.PostAsync("/v1/customers/cust-1/credits", ApiServer.Json("{}"))));
        // Nested: a rule file without its content.
        Assert.Equal("Missing required property '$.files[0].text'.",
            await DetailAsync(await acme.PostAsync("/v1/rulesets", ApiServer.Json("""{"files":[{"path":"a.rules"}]}"""))));
        Assert.StartsWith("Malformed JSON at line 1",
            await DetailAsync(await acme.PostAsync("/v1/customers", ApiServer.Json("{\"id\": "))), StringComparison.Ordinal);
    }
}
