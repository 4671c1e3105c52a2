namespace RulesBilling.Engine.Claims;

/// <summary>
/// <see cref="IWorkClaims"/> for one node (LiteDB or in-memory store): leases live in process memory, timed by the
/// injected clock. Several threads of the one process coordinate through it; several processes cannot, which is
/// why a multi-node deployment uses the PostgreSQL store, whose claims are rows in the database.
/// </summary>
public sealed class InProcessWorkClaims(TimeProvider clock) : IWorkClaims
{
    private readonly Dictionary<(string Kind, string Key), (string Owner, DateTimeOffset Expires)> _claims = [];

    public bool TryClaim(string kind, string key, string owner, TimeSpan lease)
    {
        Validate(kind, key, owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.Zero);
        lock (_claims)
        {
            var now = clock.GetUtcNow();
            if (_claims.TryGetValue((kind, key), out var held) && held.Owner != owner && held.Expires > now) return false;
            _claims[(kind, key)] = (owner, now + lease);
            return true;
        }
    }

    public bool Holds(string kind, string key, string owner)
    {
        Validate(kind, key, owner);
        lock (_claims)
        {
            return _claims.TryGetValue((kind, key), out var held) && held.Owner == owner && held.Expires > clock.GetUtcNow();
        }
    }

    public void Release(string kind, string key, string owner)
    {
        Validate(kind, key, owner);
        lock (_claims)
        {
            if (_claims.TryGetValue((kind, key), out var held) && held.Owner == owner) _claims.Remove((kind, key));
        }
    }

    internal static void Validate(string kind, string key, string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(owner);
    }
}
