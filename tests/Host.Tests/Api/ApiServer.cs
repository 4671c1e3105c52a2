using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using RulesBilling.Dsl.Compilation;
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
    private readonly ServeOptions _options;
    private readonly string? _startupRules;
    private TimeProvider _clock = TimeProvider.System;
    private bool _keepFolder;
    private bool _disposed;

    private ApiServer(WebApplication app, string folder, ServeOptions options, string? startupRules, Uri address, StringWriter log)
    {
        _app = app;
        _folder = folder;
        _options = options;
        _startupRules = startupRules;
        Address = address;
        Log = log;
    }

    public Uri Address { get; }

    /// <summary>Everything the server logged.</summary>
    public StringWriter Log { get; }

    /// <param name="startupRules">The <c>--rules</c> text compiled at start-up (null: start without rules).</param>
    /// <param name="clock">The server's "now" (default: the system clock); a restart keeps it.</param>
    public static Task<ApiServer> StartAsync(Func<ServeOptions, ServeOptions>? configure = null, string? startupRules = TestRules.Support, TimeProvider? clock = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rb-host-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var options = new ServeOptions(Path.Combine(folder, "billing.db"), [Path.Combine(folder, "rules")], "http://127.0.0.1:0", AdminKey, JsonLogs: false);
        return StartAsync(folder, configure?.Invoke(options) ?? options, startupRules, clock ?? TimeProvider.System);
    }

    private static async Task<ApiServer> StartAsync(string folder, ServeOptions options, string? startupRules, TimeProvider clock)
    {
        var log = new StringWriter();
        var compile = new CompileOptions { AllowScripts = options.AllowScripts };
        var app = ApiApplication.Create(options, startupRules is null ? null : TestRules.Compile(startupRules, compile), files => RuleCompiler.Check(files, compile),
            TextWriter.Synchronized(log), clock);
        await app.StartAsync();
        return new ApiServer(app, folder, options, startupRules, new Uri(app.Urls.Single()), log) { _clock = clock };
    }

    /// <summary>Stops this server and starts a new one on the same database file and start-up rules.</summary>
    public async Task<ApiServer> RestartAsync()
    {
        _keepFolder = true;
        await DisposeAsync();
        return await StartAsync(_folder, _options, _startupRules, _clock);
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
        if (_disposed) return;
        _disposed = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (!_keepFolder) Directory.Delete(_folder, recursive: true);
    }
}
