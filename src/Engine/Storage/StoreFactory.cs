using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using RulesBilling.Engine.Storage.Postgres;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// Opens the store a specification names, so every entry point (CLI <c>--store</c>/<c>--db</c>, <c>serve</c>,
/// migration tools) selects the backend the same way:
/// <list type="bullet">
/// <item><c>postgres://user:pass@host:port/db?schema=s&amp;sslmode=require</c> (or <c>postgresql://</c>) → PostgreSQL;</item>
/// <item>an Npgsql connection string (<c>Host=...;Database=...</c>) → PostgreSQL;</item>
/// <item>anything else → the path of a LiteDB file (one machine).</item>
/// </list>
/// Without a specification, the environment variable <see cref="Variable"/> is used.
/// </summary>
public static class StoreFactory
{
    public const string Variable = "RULESBILLING_STORE";

    /// <summary>Opens <paramref name="spec"/>, or the store named by <see cref="Variable"/> when it is null or blank.</summary>
    /// <exception cref="InvalidOperationException">No store is named, or the named one cannot be opened.</exception>
    public static IBillingStore Open(string? spec)
    {
        var resolved = Resolve(spec);
        return PostgresConnectionString(resolved) is { } connectionString
            ? PostgresBillingStore.Open(connectionString)
            : new LiteDbBillingStore(resolved);
    }

    /// <summary>The specification in force: <paramref name="spec"/> if given, else the environment variable.</summary>
    public static string Resolve(string? spec)
    {
        if (!string.IsNullOrWhiteSpace(spec)) return spec.Trim();
        return Environment.GetEnvironmentVariable(Variable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment)
            ? fromEnvironment.Trim()
            : throw new InvalidOperationException($"no store given: pass --store (a LiteDB file path or a postgres:// URL) or set {Variable}");
    }

    /// <summary>The Npgsql connection string for a PostgreSQL specification, or null when it names a LiteDB file.</summary>
    public static string? PostgresConnectionString(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return FromUrl(spec);
        }
        return LooksLikeConnectionString(spec) ? spec : null;
    }

    private static bool LooksLikeConnectionString(string spec) =>
        spec.Contains('=', StringComparison.Ordinal)
        && spec.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2)[0].Trim())
            .Any(key => key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.Equals("Server", StringComparison.OrdinalIgnoreCase));

    private static string FromUrl(string spec)
    {
        if (!Uri.TryCreate(spec, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidOperationException($"invalid PostgreSQL URL '{Redact(spec)}': expected postgres://user:password@host:port/database");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (key.ToLowerInvariant())
            {
                case "schema":
                case "search_path":
                    builder.SearchPath = value;
                    break;
                case "sslmode":
                    builder.SslMode = Enum.TryParse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                        ? mode
                        : throw new InvalidOperationException($"invalid sslmode '{value}' in the PostgreSQL URL: use disable, allow, prefer, require, verify-ca or verify-full");
                    break;
                default:
                    // Any other Npgsql keyword (Pooling, Maximum Pool Size, Timeout, ...) passes through.
                    try
                    {
                        builder[key] = value;
                    }
                    catch (ArgumentException e)
                    {
                        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"invalid PostgreSQL URL option '{key}': {e.Message}"), e);
                    }
                    break;
            }
        }
        return builder.ConnectionString;
    }

    /// <summary>The URL with any password replaced by ***, for error messages (works on URLs Uri cannot parse).</summary>
    private static string Redact(string spec) => Regex.Replace(spec, "^([a-zA-Z]+://[^:/@]*):[^@]*@", "$1:***@");
}
