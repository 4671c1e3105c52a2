using Npgsql;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>
/// A schema of its own on the test server (<see cref="PostgresTestServer"/>: RULESBILLING_TEST_PG, or a private server
/// started for the test process), dropped afterwards, so tests are isolated from each other and from earlier runs.
/// Nothing touches the server until <see cref="ConnectionString"/> is first read, so a test class that only sometimes
/// needs PostgreSQL demands it only in the tests that do. If no server can be had, those tests FAIL saying why: a
/// missing database must never look like a green run.
/// </summary>
internal sealed class PostgresTestDatabase : IDisposable
{
    private readonly string _schema = "rb_test_" + Guid.NewGuid().ToString("N");
    private readonly Lazy<string> _connectionString;
    private bool _schemaNamed;

    public PostgresTestDatabase()
    {
        _connectionString = new(() => new NpgsqlConnectionStringBuilder(ServerConnectionString) { SearchPath = _schema }.ConnectionString);
    }

    /// <summary>The schema's name; a test that reads it may create the schema by other means, so it is dropped too.</summary>
    public string Schema
    {
        get
        {
            _schemaNamed = true;
            return _schema;
        }
    }

    /// <summary>Connects to the test server with this test's schema first on the search path.</summary>
    public string ConnectionString => _connectionString.Value;

    public static string ServerConnectionString => PostgresTestServer.ConnectionString;

    /// <summary>Drops the schema if the test used it; a test that never did has nothing to drop (and needs no server).</summary>
    public void Dispose()
    {
        if (!_connectionString.IsValueCreated && !_schemaNamed) return;
        using var connection = new NpgsqlConnection(ServerConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        command.ExecuteNonQuery();
    }
}
