using System.Net.Sockets;
using Npgsql;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>
/// The private server the suite provisions when RULESBILLING_TEST_PG is not set (a fresh clone): it starts from
/// nothing in a folder of its own, serves the test database on loopback, and leaves nothing behind. Also run when the
/// variable is set, so the fresh-clone path is exercised on every run, unless that would install PostgreSQL on a
/// machine that was given a server elsewhere: then the given server is the one the suite uses.
/// </summary>
public sealed class PrivatePostgresServerTests
{
    [Fact]
    public void A_private_server_serves_the_test_database_on_loopback_and_is_gone_with_its_folder_after_dispose()
    {
        if (Environment.GetEnvironmentVariable(PostgresTestServer.Variable) is { Length: > 0 } given && !PrivatePostgresServer.IsInstalled)
        {
            Assert.Equal(given, PostgresTestServer.ConnectionString);
            return;
        }

        string folder, connectionString;
        using (var server = PrivatePostgresServer.Start())
        {
            folder = server.Folder;
            connectionString = server.ConnectionString;
            Assert.True(Directory.Exists(Path.Combine(folder, "data")));
            Assert.StartsWith(Path.GetTempPath(), folder);

            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT current_database() || ' ' || inet_server_addr()::text || ' ' || current_setting('port')", connection);
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            Assert.Equal($"rulesbilling_test 127.0.0.1/32 {builder.Port}", command.ExecuteScalar());
        }

        Assert.False(Directory.Exists(folder));
        using var after = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString);
        var refused = Assert.ThrowsAny<NpgsqlException>(() => after.Open());
        Assert.IsType<SocketException>(refused.InnerException);
    }
}
