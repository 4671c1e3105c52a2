using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RulesBilling.MultiNodeBench;

/// <summary>One <c>rulesbilling serve</c> child process on 127.0.0.1 with the store named by its spec.</summary>
internal sealed class ServeNode : IDisposable
{
    public const string AdminKey = "bench-admin-key";

    private readonly Process _process;

    private ServeNode(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static ServeNode Start(string store, string rules, string folder)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "rulesbilling.dll"), "serve", "--rules", rules,
                "--urls", address.ToString().TrimEnd('/'), "--rate-limit", "100000000",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        start.Environment["RULESBILLING_STORE"] = store;
        start.Environment["RULESBILLING_ADMIN_KEY"] = AdminKey;
        var process = Process.Start(start)!;
        // Drained and dropped: request logs are part of the server's cost, not of the measurement's output.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServeNode(process, address);
    }

    public async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 240; attempt++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"rulesbilling serve exited with {_process.ExitCode}");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"rulesbilling serve at {Address} did not become healthy");
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
