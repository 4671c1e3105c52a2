using RulesBilling.Engine.Claims;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>Work claims (the claims table, timed by the database clock) and the period-close advisory lock.</summary>
public sealed partial class PostgresBillingStore
{
    /// <summary>
    /// Takes or renews a lease with one atomic upsert on claims, timed by the database clock (node clocks may
    /// disagree; the database's is the one all nodes share). Must be called outside <see cref="InTransaction{T}"/>:
    /// a lease that only became visible at the end of a long transaction would not keep other nodes out meanwhile.
    /// </summary>
    public bool TryClaim(string kind, string key, string owner, TimeSpan lease)
    {
        InProcessWorkClaims.Validate(kind, key, owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.Zero);
        RequireNoTransaction(nameof(TryClaim));
        return Write(scope =>
        {
            using var command = scope.Command(
                """
                INSERT INTO claims (kind, key, owner, expires_at) VALUES (@kind, @key, @owner, clock_timestamp() + @lease)
                ON CONFLICT (kind, key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                WHERE claims.owner = EXCLUDED.owner OR claims.expires_at <= clock_timestamp()
                RETURNING owner
                """,
                ("kind", kind), ("key", key), ("owner", owner), ("lease", lease));
            return command.ExecuteScalar() is not null;
        });
    }

    public bool Holds(string kind, string key, string owner)
    {
        InProcessWorkClaims.Validate(kind, key, owner);
        // FOR UPDATE inside a transaction keeps a takeover (which updates this row) waiting until the work commits.
        var sql = "SELECT expires_at > clock_timestamp() FROM claims WHERE kind = @kind AND key = @key AND owner = @owner"
            + (_scope.Value is null ? "" : " FOR UPDATE");
        return Read(scope =>
        {
            using var command = scope.Command(sql, ("kind", kind), ("key", key), ("owner", owner));
            return command.ExecuteScalar() is true;
        });
    }

    public void Release(string kind, string key, string owner)
    {
        InProcessWorkClaims.Validate(kind, key, owner);
        RequireNoTransaction(nameof(Release));
        Write(scope => scope.Execute(
            "DELETE FROM claims WHERE kind = @kind AND key = @key AND owner = @owner", ("kind", kind), ("key", key), ("owner", owner)));
    }

    /// <summary>
    /// A transaction-level advisory lock on the period (its key hashed to 64 bits; a collision only makes two closes
    /// take turns). It is released at commit or rollback, and when a node dies its connection drops and PostgreSQL
    /// releases it, so a dead node never blocks the period.
    /// </summary>
    public void LockPeriod(string tenant, string customer, string contract, DateTimeOffset periodFrom)
    {
        if (_scope.Value is not { } scope) throw new InvalidOperationException("LockPeriod must be called inside InTransaction");
        scope.Execute("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))",
            ("key", StoreKey.Compose("rulesbilling.period", tenant, customer, contract, periodFrom.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }
}
