using Npgsql;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Postgres;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

public sealed class StoreFactoryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_postgres_url_becomes_an_npgsql_connection_string()
    {
        var connectionString = StoreFactory.PostgresConnectionString(
            "postgres://billing%40ops:p%3Ass@db.internal:6543/rules?schema=tenant_a&sslmode=verify-full&Maximum%20Pool%20Size=7");

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Assert.Equal("db.internal", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("rules", builder.Database);
        Assert.Equal("billing@ops", builder.Username);
        Assert.Equal("p:ss", builder.Password);
        Assert.Equal("tenant_a", builder.SearchPath);
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal(7, builder.MaxPoolSize);
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(StoreFactory.PostgresConnectionString("postgresql://u@h/db")).Port);
    }

    [Fact]
    public void Connection_strings_pass_through_and_everything_else_is_a_file_path()
    {
        Assert.Equal("Host=h;Database=d", StoreFactory.PostgresConnectionString("Host=h;Database=d"));
        Assert.Equal("server=h;database=d", StoreFactory.PostgresConnectionString("server=h;database=d"));
        Assert.Null(StoreFactory.PostgresConnectionString("billing.db"));
        Assert.Null(StoreFactory.PostgresConnectionString("/var/lib/rulesbilling/a=b.db"));
    }

    [Fact]
    public void Bad_urls_are_clear_errors_that_hide_the_password()
    {
        var badMode = Assert.Throws<InvalidOperationException>(() => StoreFactory.PostgresConnectionString("postgres://u:pw@h/db?sslmode=sometimes"));
        var badOption = Assert.Throws<InvalidOperationException>(() => StoreFactory.PostgresConnectionString("postgres://u:pw@h/db?frobnicate=1"));
        var noHost = Assert.Throws<InvalidOperationException>(() => StoreFactory.PostgresConnectionString("postgres://u:topsecret@/db"));

        Assert.Contains("invalid sslmode 'sometimes'", badMode.Message);
        Assert.Contains("invalid PostgreSQL URL option 'frobnicate'", badOption.Message);
        Assert.Contains("invalid PostgreSQL URL", noHost.Message);
        Assert.DoesNotContain("topsecret", noHost.Message);
    }

    [Fact]
    public void Open_selects_the_backend_from_the_spec()
    {
        using (var lite = StoreFactory.Open(_directory.File("billing.db")))
        {
            Assert.IsType<LiteDbBillingStore>(lite);
        }

        using var database = new PostgresTestDatabase();
        var server = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ServerConnectionString);
        var url = $"postgres://{server.Username}@{server.Host}:{server.Port}/{server.Database}?schema={database.Schema}";
        using var postgres = StoreFactory.Open(url);

        Assert.IsType<PostgresBillingStore>(postgres);
        Assert.Equal([AppendStatus.Accepted], postgres.AppendEvents([Event("a")]));
    }

    [Fact]
    public void Without_a_spec_the_environment_variable_names_the_store_and_without_either_it_is_an_error()
    {
        var previous = Environment.GetEnvironmentVariable(StoreFactory.Variable);
        try
        {
            Environment.SetEnvironmentVariable(StoreFactory.Variable, " /data/billing.db ");
            Assert.Equal("/data/billing.db", StoreFactory.Resolve(null));
            Assert.Equal("other.db", StoreFactory.Resolve("other.db"));

            Environment.SetEnvironmentVariable(StoreFactory.Variable, null);
            var error = Assert.Throws<InvalidOperationException>(() => StoreFactory.Resolve(" "));
            Assert.Contains(StoreFactory.Variable, error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(StoreFactory.Variable, previous);
        }
    }
}
