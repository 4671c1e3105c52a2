using System.Net;
using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

public sealed class TenantAndCustomerTests
{
    [Fact]
    public async Task Admin_creates_a_tenant_whose_key_is_shown_once_and_stored_hashed()
    {
        await using var server = await ApiServer.StartAsync();
        using var admin = server.Client(ApiServer.AdminKey);

        var response = await admin.PostAsJsonAsync("/v1/tenants", new { id = "acme", name = "Acme Corp" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await ApiServer.ReadJsonAsync(response);
        var key = body["apiKey"]!.GetValue<string>();
        Assert.StartsWith("rbk_", key, StringComparison.Ordinal);
        Assert.Equal("Acme Corp", body["name"]!.GetValue<string>());
        using var tenant = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("/v1/customers")).StatusCode);

        var again = await admin.PostAsJsonAsync("/v1/tenants", new { id = "acme" });
        await ApiServer.AssertProblemAsync(again, 409);
    }

    [Fact]
    public async Task Tenant_administration_needs_the_admin_key()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");

        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/tenants", new { id = "evil" }), 401);
        using var anonymous = server.Client();
        await ApiServer.AssertProblemAsync(await anonymous.PostAsJsonAsync("/v1/tenants", new { id = "evil" }), 401);
        using var wrong = server.Client("not-the-admin-key");
        await ApiServer.AssertProblemAsync(await wrong.PostAsJsonAsync("/v1/tenants", new { id = "evil" }), 401);
    }

    [Fact]
    public async Task Missing_or_invalid_api_key_is_401_problem()
    {
        await using var server = await ApiServer.StartAsync();
        using var anonymous = server.Client();
        var missing = await ApiServer.AssertProblemAsync(await anonymous.GetAsync("/v1/customers"), 401);
        Assert.Contains("Missing API key", missing["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var invalid = server.Client("rbk_made_up");
        var wrong = await ApiServer.AssertProblemAsync(await invalid.GetAsync("/v1/customers"), 401);
        Assert.Contains("not valid", wrong["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customers_are_created_listed_and_fetched()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");

        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/customers", new { id = "cust-b", name = "B" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/customers", new { id = "cust-a" })).StatusCode);

        var list = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers"));
        Assert.Equal(["cust-a", "cust-b"], list.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        var one = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/cust-b"));
        Assert.Equal("B", one["name"]!.GetValue<string>());
        await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/customers", new { id = "cust-a" }), 409);
        await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers/nobody"), 404);
    }

    [Fact]
    public async Task Customers_of_one_tenant_are_invisible_to_another()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        var globex = await server.TenantAsync("globex");
        await acme.PostAsJsonAsync("/v1/customers", new { id = "shared-id", name = "Acme's" });

        var list = await ApiServer.ReadJsonAsync(await globex.GetAsync("/v1/customers"));
        Assert.Empty(list.AsArray());
        await ApiServer.AssertProblemAsync(await globex.GetAsync("/v1/customers/shared-id"), 404);

        // The same id in another tenant is a different customer.
        Assert.Equal(HttpStatusCode.Created, (await globex.PostAsJsonAsync("/v1/customers", new { id = "shared-id", name = "Globex's" })).StatusCode);
        var acmeView = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers/shared-id"));
        Assert.Equal("Acme's", acmeView["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_customer_bodies_are_problems_and_write_nothing()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");

        var malformed = await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/customers", ApiServer.Json("{\"id\": ")), 400);
        Assert.Contains("Malformed JSON", malformed["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var wrongType = await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/customers", ApiServer.Json("{\"id\":\"x\"}", "text/plain")), 415);
        Assert.Contains("text/plain", wrongType["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var invalidId = await ApiServer.AssertProblemAsync(await acme.PostAsJsonAsync("/v1/customers", new { id = "has space" }), 400);
        Assert.Contains("'id'", invalidId["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/customers", ApiServer.Json("{\"id\":\"x\",\"bogus\":1}")), 400);

        var list = await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers"));
        Assert.Empty(list.AsArray());
    }

    [Fact]
    public async Task Oversize_body_is_413_problem()
    {
        await using var server = await ApiServer.StartAsync(o => o with { MaxRequestBodyBytes = 1024 });
        var acme = await server.TenantAsync("acme");
        var big = "{\"id\":\"x\",\"name\":\"" + new string('a', 4096) + "\"}";

        var problem = await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/customers", ApiServer.Json(big)), 413);
        Assert.Contains("limit is 1024 bytes", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/customers"))).AsArray());
    }

    [Fact]
    public async Task Rate_limit_per_key_answers_429_problem()
    {
        await using var server = await ApiServer.StartAsync(o => o with { RateLimitPermits = 3, RateLimitWindow = TimeSpan.FromHours(1) });
        using var admin = server.Client(ApiServer.AdminKey);
        var created = await ApiServer.ReadJsonAsync(await admin.PostAsJsonAsync("/v1/tenants", new { id = "acme" }));
        using var acme = server.Client(created["apiKey"]!.GetValue<string>());

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/v1/customers")).StatusCode);
        var limited = await ApiServer.AssertProblemAsync(await acme.GetAsync("/v1/customers"), 429);
        Assert.Contains("3 requests", limited["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Correlation_id_is_echoed_and_generated()
    {
        await using var server = await ApiServer.StartAsync();
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Correlation-Id", "abc-123");

        var response = await client.SendAsync(request);
        Assert.Equal("abc-123", response.Headers.GetValues("X-Correlation-Id").Single());

        var failed = await client.GetAsync("/v1/customers");
        var generated = failed.Headers.GetValues("X-Correlation-Id").Single();
        Assert.Equal(32, generated.Length);
        var problem = await ApiServer.AssertProblemAsync(failed, 401);
        Assert.Equal(generated, problem["correlationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Audit_trail_records_changes_of_the_callers_tenant_only()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        var globex = await server.TenantAsync("globex");
        await acme.PostAsJsonAsync("/v1/customers", new { id = "c1" });
        await acme.PostAsJsonAsync("/v1/customers", new { id = "c1" });

        var audit = (await ApiServer.ReadJsonAsync(await acme.GetAsync("/v1/audit"))).AsArray();
        Assert.Equal(["customer.create c1", "customer.create c1"], audit.Select(a => a!["action"]!.GetValue<string>()));
        Assert.Equal([true, false], audit.Select(a => a!["succeeded"]!.GetValue<bool>()));
        Assert.Empty((await ApiServer.ReadJsonAsync(await globex.GetAsync("/v1/audit"))).AsArray());
    }

    [Fact]
    public async Task Health_openapi_and_reference_page_are_served_without_a_key()
    {
        await using var server = await ApiServer.StartAsync();
        using var client = server.Client();

        var health = await ApiServer.ReadJsonAsync(await client.GetAsync("/health"));
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        var openApi = await ApiServer.ReadJsonAsync(await client.GetAsync("/openapi/v1.json"));
        Assert.Equal("RulesBilling API", openApi["info"]!["title"]!.GetValue<string>());
        Assert.NotNull(openApi["paths"]!["/v1/customers"]);
        var page = await client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        await ApiServer.AssertProblemAsync(await client.GetAsync("/no/such/route"), 404);
    }
}
