using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using RulesBilling.Engine.Tests.Storage;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.MultiNode;

/// <summary>
/// Several real <c>rulesbilling serve</c> processes on 127.0.0.1 (one port each) sharing one PostgreSQL database
/// through a schema of their own, created for the cluster and dropped with it. The server is RULESBILLING_TEST_PG, or
/// a private one started for the test process (see tests/Engine.Tests/Storage/PostgresTestServer.cs).
/// Every node gets the same start-up rules, a rate limit no test reaches, and a fast payment sync.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    public const string AdminKey = "multinode-admin";

    private readonly string _folder;
    private readonly Node[] _nodes;

    private Cluster(string folder, string schema, string connectionString, Node[] nodes)
    {
        _folder = folder;
        Schema = schema;
        ConnectionString = connectionString;
        _nodes = nodes;
    }

    /// <summary>The cluster's database, with its schema first on the search path.</summary>
    public string ConnectionString { get; }

    public string Schema { get; }

    public int Count => _nodes.Length;

    public static async Task<Cluster> StartAsync(int nodes, string rules)
    {
        var server = PostgresTestServer.ConnectionString;
        var schema = "rb_multinode_" + Guid.NewGuid().ToString("N");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, MaxPoolSize = 20 }.ConnectionString;
        var folder = Path.Combine(Path.GetTempPath(), "rb-multinode", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var rulesFile = Path.Combine(folder, "pricing.rules");
        await File.WriteAllTextAsync(rulesFile, rules);

        // Started together on purpose: the schema migrations must cope with several nodes arriving at once.
        var started = Enumerable.Range(0, nodes).Select(i => Node.Start(i, folder, rulesFile, connectionString)).ToArray();
        var cluster = new Cluster(folder, schema, connectionString, started);
        try
        {
            await Task.WhenAll(started.Select(n => n.WaitForHealthAsync()));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    public Uri Address(int node) => _nodes[node].Address;

    public bool IsAlive(int node) => !_nodes[node].Process.HasExited;

    /// <summary>Ends the node at once (no shutdown, no cleanup), like a crash or an OOM kill.</summary>
    public void Kill(int node)
    {
        _nodes[node].Process.Kill(entireProcessTree: true);
        _nodes[node].Process.WaitForExit();
    }

    public HttpClient Client(int node, string? apiKey)
    {
        var client = new HttpClient { BaseAddress = Address(node), Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Creates the tenant on node 0 and returns its API key (valid on every node: the key lives in the database).</summary>
    public async Task<string> TenantAsync(string id)
    {
        using var admin = Client(0, AdminKey);
        var response = await admin.PostAsJsonAsync("/v1/tenants", new { id });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ApiServer.ReadJsonAsync(response))["apiKey"]!.GetValue<string>();
    }

    /// <summary>Runs a scalar query against the cluster's schema: what is really stored, whatever the nodes answer.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<List<T>> ColumnAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync()) values.Add(reader.GetFieldValue<T>(0));
        return values;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>What the nodes wrote to their consoles, for failure messages.</summary>
    public string Logs() => string.Join("\n", _nodes.Select(n => $"--- node {n.Index} ---\n{n.Output()}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (!node.Process.HasExited) node.Process.Kill(entireProcessTree: true);
            await node.Process.WaitForExitAsync();
            node.Process.Dispose();
        }
        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(PostgresTestServer.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class Node
    {
        private readonly StringBuilder _output = new();

        private Node(int index, Process process, Uri address)
        {
            Index = index;
            Process = process;
            Address = address;
        }

        public int Index { get; }
        public Process Process { get; }
        public Uri Address { get; }

        public static Node Start(int index, string folder, string rulesFile, string connectionString)
        {
            var address = new Uri($"http://127.0.0.1:{FreePort()}");
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList =
                {
                    Path.Combine(AppContext.BaseDirectory, "rulesbilling.dll"), "serve", "--rules", rulesFile, "--urls", address.ToString().TrimEnd('/'),
                    "--rate-limit", "1000000", "--sync-interval", "0.2",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
            };
            // The store comes from the environment, as an operator would pass a secret.
            start.Environment["RULESBILLING_STORE"] = connectionString;
            start.Environment["RULESBILLING_ADMIN_KEY"] = AdminKey;
            var node = new Node(index, Process.Start(start)!, address);
            node.Process.OutputDataReceived += (_, e) => node.Append(e.Data);
            node.Process.ErrorDataReceived += (_, e) => node.Append(e.Data);
            node.Process.BeginOutputReadLine();
            node.Process.BeginErrorReadLine();
            return node;
        }

        public string Output()
        {
            lock (_output) return _output.ToString();
        }

        public async Task WaitForHealthAsync()
        {
            using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
            // Bounded: 120 attempts of 250 ms (about 30 s) to come up on a loaded machine.
            for (var attempt = 0; attempt < 120; attempt++)
            {
                if (Process.HasExited) Assert.Fail($"node {Index} exited with {Process.ExitCode}: {Output()}");
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
            Assert.Fail($"node {Index} did not answer /health: {Output()}");
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
}
