using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace RulesBilling.Host.Tests.Reliability;

/// <summary>
/// The built <c>rulesbilling serve</c> as a child process on 127.0.0.1, over a LiteDB file that outlives it:
/// <see cref="Kill"/> sends SIGKILL (no shutdown code runs) and <see cref="StartAsync"/> starts a new process on the
/// same file. Disposing kills the process and deletes the folder.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    public const string AdminKey = "reliability-admin";

    private readonly string _rules;
    private readonly IReadOnlyList<string> _arguments;
    private Process? _process;
    private readonly StringBuilder _output = new();

    /// <param name="arguments">More <c>serve</c> options, passed on every start.</param>
    public ServeProcess(string rulesText, params IReadOnlyList<string> arguments)
    {
        _arguments = arguments;
        Folder = Path.Combine(Path.GetTempPath(), "rb-reliability", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        _rules = Path.Combine(Folder, "rules.rules");
        File.WriteAllText(_rules, rulesText);
        Database = Path.Combine(Folder, "billing.db");
    }

    public string Folder { get; }

    public string Database { get; }

    public Uri Address { get; private set; } = new("http://127.0.0.1:1");

    public int Starts { get; private set; }

    /// <summary>Starts a server process on the database (a new port each time) and waits until /health answers.</summary>
    public async Task StartAsync()
    {
        var port = FreePort();
        Address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "rulesbilling.dll"), "serve", "--db", Database, "--rules", _rules,
                "--urls", Address.ToString().TrimEnd('/'), "--admin-key", AdminKey, "--rate-limit", "1000000" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in _arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;

        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        // Bounded: about 60 s for the process to come up on a loaded machine.
        for (var attempt = 0; attempt < 240; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"rulesbilling serve exited with {process.ExitCode}: {Output}");
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"rulesbilling serve did not answer /health: {Output}");
    }

    /// <summary>SIGKILL: the process dies at once, with whatever it was doing half done.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public HttpClient Client(string? apiKey = null, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Creates a tenant and returns its API key.</summary>
    public async Task<string> CreateTenantAsync(string id)
    {
        using var admin = Client(AdminKey);
        var response = await admin.PostAsJsonAsync("/v1/tenants", new { id });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["apiKey"]!.GetValue<string>();
    }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Directory.Delete(Folder, recursive: true);
    }

    private void Append(string? line)
    {
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
