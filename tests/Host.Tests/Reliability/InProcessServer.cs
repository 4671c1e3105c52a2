using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using RulesBilling.Host.Api;

namespace RulesBilling.Host.Tests.Reliability;

/// <summary>
/// The API built as <c>serve</c> builds it, in this process on 127.0.0.1, with <see cref="ReliabilityRules"/>
/// compiled by the real compiler. Cheaper than a child process where no crash is needed.
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    public const string AdminKey = "in-process-admin";

    private readonly WebApplication _app;
    private readonly string _folder;

    private InProcessServer(WebApplication app, string folder)
    {
        _app = app;
        _folder = folder;
        Address = new Uri(app.Urls.Single());
    }

    public Uri Address { get; }

    public static async Task<InProcessServer> StartAsync(Func<ServeOptions, ServeOptions>? configure = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rb-reliability", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var options = new ServeOptions(Path.Combine(folder, "billing.db"), [], "http://127.0.0.1:0", AdminKey, JsonLogs: false)
        {
            RateLimitPermits = 100_000,
        };
        options = configure?.Invoke(options) ?? options;
        var app = ApiApplication.Create(options, ReliabilityRules.Compile(), RuleCompiler.Check, TextWriter.Null, TimeProvider.System);
        await app.StartAsync();
        return new InProcessServer(app, folder);
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public async Task<string> CreateTenantAsync(string id)
    {
        using var admin = Client(AdminKey);
        var response = await admin.PostAsJsonAsync("/v1/tenants", new { id });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["apiKey"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
