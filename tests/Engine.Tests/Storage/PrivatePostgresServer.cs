using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>
/// One throwaway PostgreSQL server (see <see cref="PostgresTestServer"/>): its own folder under the temp folder, a free
/// loopback port, trust authentication, a <c>rulesbilling_test</c> database. Dispose stops it and deletes the folder;
/// a watchdog does the same if the process dies first.
/// </summary>
internal sealed class PrivatePostgresServer : IDisposable
{
    private const string Database = "rulesbilling_test";
    private const string User = "rulesbilling";

    private readonly string _bin;
    private readonly string _data;
    private int _disposed;

    private PrivatePostgresServer(string bin, string folder)
    {
        _bin = bin;
        Folder = folder;
        _data = Path.Combine(folder, "data");
    }

    public string Folder { get; }

    public string ConnectionString { get; private set; } = "";

    public static PrivatePostgresServer Start()
    {
        var bin = Binaries();
        var server = new PrivatePostgresServer(bin, Path.Combine(Path.GetTempPath(), $"rulesbilling-test-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        try
        {
            server.ConnectionString = server.Launch();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (ConnectionString.Length > 0) NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        if (File.Exists(Path.Combine(_data, "postmaster.pid")))
        {
            try
            {
                AsServerUser(Path.Combine(_bin, "pg_ctl"), ["-D", _data, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // Already gone; the folder still goes.
            }
        }
        try
        {
            if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the watchdog.
        }
    }

    /// <summary>Whether the server binaries are on this machine already (so starting one installs nothing).</summary>
    public static bool IsInstalled => FindBinaries() is not null;

    private static bool IsRoot => Environment.UserName == "root";

    private static string Binaries()
    {
        if (FindBinaries() is { } found) return found;
        if (!IsRoot) throw new InvalidOperationException("the PostgreSQL server binaries (initdb, pg_ctl) were not found, and installing them needs root.");

        using (MachineLock.Take("rulesbilling-test-pg-install"))
        {
            // Another test process may have installed it while this one waited for the lock.
            if (FindBinaries() is { } installed) return installed;
            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            Run("apt-get", ["update", "-qq"], environment);
            Run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], environment);
        }
        return FindBinaries() ?? throw new InvalidOperationException("initdb is still missing after apt-get install postgresql.");
    }

    private static string? FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Bin: Path.Combine(d, "bin")))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Bin)
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return candidates.Concat(onPath)
            .FirstOrDefault(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")));
    }

    private string Launch()
    {
        Directory.CreateDirectory(Folder);
        // initdb creates the data folder with the modes the server insists on; as root it must belong to `postgres`.
        if (IsRoot) Run("chown", ["postgres:", Folder]);
        Watchdog();

        AsServerUser(Path.Combine(_bin, "initdb"), ["-D", _data, "-U", User, "-A", "trust", "-E", "UTF8", "--no-locale"]);

        // A free port can be taken by someone else between choosing it and the server binding it: choose again.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            try
            {
                AsServerUser(Path.Combine(_bin, "pg_ctl"),
                [
                    "-D", _data, "-l", Path.Combine(Folder, "server.log"), "-w", "-t", "120",
                    "-o", $"-p {port} -k {Folder} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=32MB", "start",
                ]);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                continue;
            }

            var server = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = User, Database = "postgres", Pooling = false };
            using (var connection = new NpgsqlConnection(server.ConnectionString))
            {
                connection.Open();
                using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
                create.ExecuteNonQuery();
            }
            server.Database = Database;
            server.Pooling = true;
            return server.ConnectionString;
        }
    }

    /// <summary>
    /// A shell, detached from this process (so that killing the process tree spares it), that stops the server and
    /// deletes its folder once this process is gone: for the exits that run no handlers (a crash, a kill, a test host
    /// torn down by the runner). It checks once a second.
    /// </summary>
    private void Watchdog()
    {
        var stop = string.Join(' ', ServerUserPrefix.Append(Path.Combine(_bin, "pg_ctl")).Concat(["-D", _data, "-m", "immediate", "-w", "stop"]).Select(Quote));
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null && [ -d {Quote(Folder)} ]; do sleep 1; done; "
                     + $"[ -f {Quote(Path.Combine(_data, "postmaster.pid"))} ] && {stop}; rm -rf {Quote(Folder)}";
        // The outer shell exits at once; the inner one, orphaned, is adopted by init and outlives this process.
        Run("sh", ["-c", $"( {script} ) </dev/null >/dev/null 2>&1 &"]);
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";

    private static string[] ServerUserPrefix => IsRoot ? ["runuser", "-u", "postgres", "--"] : [];

    private static void AsServerUser(string program, string[] arguments)
    {
        var command = ServerUserPrefix.Append(program).Concat(arguments).ToArray();
        Run(command[0], command[1..]);
    }

    private static void Run(string program, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"`{program} {string.Join(' ', arguments)}` exited with {process.ExitCode}: {Tail(error.Result + output.Result)}");
    }

    private static string Tail(string text) => text.Length <= 2000 ? text.Trim() : "..." + text[^2000..].Trim();


    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
