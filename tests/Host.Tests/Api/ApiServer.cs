using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using RulesBilling.Host.Api;

namespace RulesBilling.Host.Tests.Api;

/// <summary>
/// A real server on 127.0.0.1 (a free port chosen by the OS) over a real LiteDB file in a temp folder,
/// built exactly as <c>rulesbilling serve</c> builds it. Disposing stops it and deletes the folder.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";

    private readonly WebApplication _app;
    private readonly string _folder;

    private ApiServer(WebApplication app, string folder, Uri address, StringWriter log)
    {
        _app = app;
        _folder = folder;
        Address = address;
        Log = log;
    }

    public Uri Address { get; }

    /// <summary>Everything the server logged.</summary>
    public StringWriter Log { get; }

    public static async Task<ApiServer> StartAsync(Func<ServeOptions, ServeOptions>? configure = null, bool withRules = true)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rb-host-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var rulesFolder = Path.Combine(folder, "rules");
        Directory.CreateDirectory(rulesFolder);

        var options = new ServeOptions(Path.Combine(folder, "billing.db"), [rulesFolder], "http://127.0.0.1:0", AdminKey, JsonLogs: false);
        options = configure?.Invoke(options) ?? options;
        var log = new StringWriter();
        var app = ApiApplication.Create(options, withRules ? TestRules.Resolved() : null, TestRules.Check,
            TextWriter.Synchronized(log), TimeProvider.System);
        await app.StartAsync();
        return new ApiServer(app, folder, new Uri(app.Urls.Single()), log);
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Creates a tenant through the admin endpoint and returns a client holding its new key.</summary>
    public async Task<HttpClient> TenantAsync(string id)
    {
        using var admin = Client(AdminKey);
        var response = await admin.PostAsJsonAsync("/v1/tenants", new { id });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await ReadJsonAsync(response);
        return Client(body["apiKey"]!.GetValue<string>());
    }

    public static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    /// <summary>Asserts a problem+json answer with the status and returns its detail.</summary>
    public static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return problem;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
