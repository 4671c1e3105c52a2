namespace RulesBilling.Engine.Tests.Storage;

/// <summary>
/// The PostgreSQL server of this test process. RULESBILLING_TEST_PG (an Npgsql connection string) names one; without
/// it the first test that needs PostgreSQL provisions a private server, so that `dotnet test RulesBilling.sln` passes
/// on a fresh machine with only the .NET SDK:
/// - the server binaries are found under /usr/lib/postgresql/*/bin or on PATH; if missing and running as root, the
///   distribution's package is installed with apt-get, under a machine-wide file lock (the test assemblies run in
///   parallel processes and apt refuses to run twice at once);
/// - a cluster is initialised in a folder of its own under the temp folder and started on a free loopback port with
///   trust authentication (a throwaway test cluster, never a deployment); as root it runs as the `postgres` user,
///   because the server refuses to run as root;
/// - it is stopped and its folder deleted when the process exits, and a watchdog does the same if the process dies
///   without running its exit handlers, so no server is left behind.
/// Each test process gets its own server, so parallel test assemblies never share or race over one.
/// Linked into the host tests too (tests/Host.Tests/RulesBilling.Host.Tests.csproj), for the multi-node cluster.
/// </summary>
internal static class PostgresTestServer
{
    public const string Variable = "RULESBILLING_TEST_PG";

    private static readonly Lazy<string> Provisioned = new(Provision, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The connection string of the server: RULESBILLING_TEST_PG, or the private server (started on first use).</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given ? given : Provisioned.Value;

    private static string Provision()
    {
        try
        {
            var server = PrivatePostgresServer.Start();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
            return server.ConnectionString;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"{Variable} is not set and a private PostgreSQL server could not be started for the tests: {e.Message} "
                + $"Install PostgreSQL (apt-get install postgresql), or set {Variable} to an Npgsql connection string.", e);
        }
    }
}
