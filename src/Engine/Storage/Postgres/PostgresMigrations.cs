using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>One schema migration shipped with the engine (an embedded <c>Migrations/NNNN_name.sql</c>).</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the SQL text; a shipped migration that was edited after being applied is refused.</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}

/// <summary>What <see cref="PostgresMigrations.Apply"/> did: the versions it applied now and the resulting version.</summary>
public sealed record MigrationReport(IReadOnlyList<Migration> Applied, int Version);

/// <summary>
/// Versioned, idempotent schema migrations. Every node applies them at start: the pending ones run in ONE
/// transaction holding a transaction-level advisory lock keyed by the schema, so several nodes starting together
/// apply each migration once and the others wait, then see it recorded in schema_migrations. A database that is
/// newer than this binary, or whose applied migration text differs from the shipped one, is refused with a clear
/// error instead of being written to.
/// </summary>
public static class PostgresMigrations
{
    private const string ResourcePrefix = "RulesBilling.Migrations.";

    /// <summary>The shipped migrations in version order.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>
    /// Applies the pending migrations to the database and schema (first of Search Path) a connection string names.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string is invalid, the server unreachable, or the schema refused.</exception>
    public static MigrationReport Apply(string connectionString)
    {
        var (builder, schema) = Target(connectionString);
        using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            return Apply(dataSource, schema);
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException($"cannot migrate {Describe(builder, schema)}: {e.Message}", e);
        }
    }

    /// <summary>Parses a connection string; the schema is the first entry of its Search Path, if any.</summary>
    internal static (NpgsqlConnectionStringBuilder Builder, string? Schema) Target(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            var schema = builder.SearchPath?.Split(',')[0].Trim().Trim('"');
            return (builder, string.IsNullOrEmpty(schema) ? null : schema);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"invalid PostgreSQL connection string: {e.Message}", e);
        }
    }

    /// <summary>host:port/database[/schema], never the password.</summary>
    internal static string Describe(NpgsqlConnectionStringBuilder builder, string? schema) =>
        $"{builder.Host}:{builder.Port}/{builder.Database}{(schema is null ? "" : "/" + schema)}";

    /// <summary>
    /// Applies the pending migrations to <paramref name="schema"/> (created if missing), which must be the first
    /// schema of the data source's search path, or to the default schema when null.
    /// </summary>
    public static MigrationReport Apply(NpgsqlDataSource dataSource, string? schema)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();

        using (var lockSchema = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(hashtext('rulesbilling.migrate.' || coalesce(@schema, current_schema())))", connection, transaction))
        {
            lockSchema.Parameters.Add(new NpgsqlParameter("schema", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)schema ?? DBNull.Value });
            lockSchema.ExecuteNonQuery();
        }
        if (schema is not null)
        {
            // Under the lock: two nodes creating the same schema at once would otherwise collide in pg_namespace.
            Execute(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS \"{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
        }
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """);

        var applied = new Dictionary<int, string>();
        using (var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection, transaction))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        var newest = All.Count == 0 ? 0 : All[^1].Version;
        if (applied.Keys.Any(v => v > newest))
        {
            throw new InvalidOperationException(
                $"the database schema is at version {applied.Keys.Max()}, newer than this RulesBilling (knows up to {newest}); upgrade RulesBilling");
        }

        var now = new List<Migration>();
        foreach (var migration in All)
        {
            if (applied.TryGetValue(migration.Version, out var checksum))
            {
                if (checksum != migration.Checksum)
                {
                    throw new InvalidOperationException(
                        $"migration {migration.Version} ({migration.Name}) applied to this database differs from the one shipped; refusing to continue");
                }
                continue;
            }

            Execute(connection, transaction, migration.Sql);
            using var record = new NpgsqlCommand(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction);
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            record.Parameters.AddWithValue("checksum", migration.Checksum);
            record.ExecuteNonQuery();
            now.Add(migration);
        }

        transaction.Commit();
        return new MigrationReport(now, newest);
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var file = resource[ResourcePrefix.Length..^".sql".Length];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(file[..underscore], NumberStyles.None, CultureInfo.InvariantCulture);
            migrations.Add(new Migration(version, file[(underscore + 1)..], Read(assembly, resource)));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        return migrations;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
