using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RulesBilling.Benchmarks.Http;

/// <summary>A <c>rulesbilling serve</c> child process on a free loopback port; disposing kills it.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    /// <param name="store">A LiteDB file path or a PostgreSQL specification (<c>serve --store</c>); nodes given the same PostgreSQL store form a cluster.</param>
    /// <param name="allowPrivateWebhooks">Lets subscriptions point at a receiver on 127.0.0.1 (<c>--allow-private-webhooks</c>).</param>
    public ServerProcess(string store, string rules, string adminKey, int rateLimit, bool allowPrivateWebhooks = false)
    {
        Port = FreePort();
        var server = Path.Combine(AppContext.BaseDirectory, "rulesbilling.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { server, "serve", "--store", store, "--rules", rules, "--urls", $"http://127.0.0.1:{Port}",
                "--admin-key", adminKey, "--rate-limit", rateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (allowPrivateWebhooks) start.ArgumentList.Add("--allow-private-webhooks");
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address };
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"rulesbilling serve exited with {_process.ExitCode}: {Output}");
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"rulesbilling serve did not answer /health: {Output}");
    }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
