using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Portal;

namespace RulesBilling.Host.Dashboard;

/// <summary>A signed-in operator: the tenant and the hash of the key used (re-checked on every request), until <see cref="ExpiresAt"/>.</summary>
internal sealed record DashboardSession(string Tenant, string KeyHash, string Actor, string Id, DateTimeOffset ExpiresAt);

/// <summary>
/// Dashboard sign-in after the operator enters a tenant key: an HttpOnly, SameSite=Strict cookie holding a signed
/// session (never the key itself, only its hash, so a revoked key ends the session at once). Every action form carries
/// a CSRF token bound to the session (HMAC of its id), and actions also refuse a foreign Origin.
/// The signing secret is the first portal key when one is configured (so sessions hold across nodes and restarts),
/// else a random one per process.
/// </summary>
internal sealed class DashboardSessions(PortalKeys keys, TimeProvider clock)
{
    public const string Cookie = "rb_dashboard";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly byte[] _secret = keys.Configured
        ? HMACSHA256.HashData(keys.Current.Secret, "rb-dashboard-session.v1"u8.ToArray())
        : RandomNumberGenerator.GetBytes(32);

    public string Issue(ApiKeyRecord key, out DashboardSession session)
    {
        session = new DashboardSession(key.Tenant, key.KeyHash, key.Prefix, Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            clock.GetUtcNow().Add(Lifetime));
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(session));
        return payload + "." + Base64Url.EncodeToString(Mac("session." + payload));
    }

    /// <summary>The session of a request whose cookie is genuine, unexpired and whose key still exists; otherwise null.</summary>
    public DashboardSession? Read(HttpRequest request, ITenantStore tenants)
    {
        if (request.Cookies[Cookie] is not { Length: > 0 and < 4096 } value) return null;
        var dot = value.IndexOf('.');
        if (dot <= 0) return null;
        var payload = value[..dot];
        try
        {
            if (!CryptographicOperations.FixedTimeEquals(Base64Url.DecodeFromChars(value.AsSpan(dot + 1)), Mac("session." + payload))) return null;
            var session = JsonSerializer.Deserialize<DashboardSession>(Base64Url.DecodeFromChars(payload));
            if (session is null || clock.GetUtcNow() >= session.ExpiresAt) return null;
            var key = tenants.FindApiKey(session.KeyHash);
            return key is not null && key.Tenant == session.Tenant ? session : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    public string CsrfToken(DashboardSession session) => Base64Url.EncodeToString(Mac("csrf." + session.Id));

    public bool ValidCsrf(DashboardSession session, string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return false;
        try
        {
            return CryptographicOperations.FixedTimeEquals(Base64Url.DecodeFromChars(presented), Mac("csrf." + session.Id));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A cross-site form post carries the other site's Origin; a same-origin post carries ours (or none, from older clients).</summary>
    public static bool SameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A browser-session cookie: the session's expiry is enforced from its signed payload against the server's clock,
    /// so the cookie carries no Expires of its own (a client clock that differs would drop it early or keep it late).
    /// </summary>
    public static CookieOptions Options(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/dashboard",
        IsEssential = true,
    };

    private byte[] Mac(string text) => HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(text));
}
