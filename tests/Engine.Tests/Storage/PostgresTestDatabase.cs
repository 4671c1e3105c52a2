using Npgsql;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>
/// The PostgreSQL server the suite runs against, from RULESBILLING_TEST_PG (an Npgsql connection string;
/// .ci/postgres.sh starts a private one and sets it). Without it every PostgreSQL test FAILS with a message saying
/// so: a missing database must never look like a green run. Each test gets a schema of its own, dropped afterwards,
/// so tests are isolated from each other and from earlier runs.
/// </summary>
internal sealed class PostgresTestDatabase : IDisposable
{
    public const string Variable = "RULESBILLING_TEST_PG";

    public PostgresTestDatabase()
    {
        Schema = "rb_test_" + Guid.NewGuid().ToString("N");
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { SearchPath = Schema }.ConnectionString;
    }

    public string Schema { get; }

    /// <summary>Connects to the test server with this test's schema first on the search path.</summary>
    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: the PostgreSQL store tests need a server. Run .ci/run (it provisions one via .ci/postgres.sh), "
                + $"or `source .ci/postgres.sh` before `dotnet test`, or set {Variable} to an Npgsql connection string.");

    /// <summary>Drops the schema if it was created; a test that failed before creating it has nothing to drop.</summary>
    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 }) return;
        using var connection = new NpgsqlConnection(ServerConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", connection);
        command.ExecuteNonQuery();
    }
}
