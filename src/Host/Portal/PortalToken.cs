using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RulesBilling.Host.Portal;

/// <summary>What a valid portal link grants: read-only access to one customer of one tenant until <see cref="ExpiresAt"/>.</summary>
internal sealed record PortalGrant(string Tenant, string Customer, DateTimeOffset ExpiresAt);

/// <summary>Why a presented portal token was refused.</summary>
internal enum PortalRefusal { Malformed, UnknownKey, BadSignature, Expired }

/// <summary>
/// Portal link tokens: <c>kid.payload.signature</c>, base64url; the payload is JSON (tenant, customer, expiry in Unix
/// seconds) and the signature HMAC-SHA256 over "rb-portal.v1." + kid + "." + payload, compared in constant time.
/// The token carries everything: nothing is stored, so links work on every node that has the key and end when they
/// expire or their key is dropped.
/// </summary>
internal static class PortalToken
{
    private const string Domain = "rb-portal.v1.";
    private const int MaxLength = 2048;

    public static string Issue(PortalSigningKey key, PortalGrant grant)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(grant.Tenant, grant.Customer, grant.ExpiresAt.ToUnixTimeSeconds()));
        var body = key.Id + "." + Base64Url.EncodeToString(payload);
        return body + "." + Base64Url.EncodeToString(Sign(key, body));
    }

    /// <summary>The grant of a valid, unexpired token, or why it is refused.</summary>
    public static (PortalGrant? Grant, PortalRefusal? Refusal) Verify(PortalKeys keys, string token, DateTimeOffset now)
    {
        if (token.Length > MaxLength) return (null, PortalRefusal.Malformed);
        var parts = token.Split('.');
        if (parts.Length != 3) return (null, PortalRefusal.Malformed);
        if (keys.Find(parts[0]) is not { } key) return (null, PortalRefusal.UnknownKey);
        if (!TryDecode(parts[2], out var signature)) return (null, PortalRefusal.Malformed);
        // The signature is checked before the payload is parsed: nothing an attacker wrote is interpreted unsigned.
        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(key, parts[0] + "." + parts[1]))) return (null, PortalRefusal.BadSignature);
        if (!TryDecode(parts[1], out var json)) return (null, PortalRefusal.Malformed);
        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(json);
        }
        catch (JsonException)
        {
            return (null, PortalRefusal.Malformed);
        }
        if (payload is not { T.Length: > 0, C.Length: > 0 }) return (null, PortalRefusal.Malformed);
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.Exp);
        if (now >= expires) return (new PortalGrant(payload.T, payload.C, expires), PortalRefusal.Expired);
        return (new PortalGrant(payload.T, payload.C, expires), null);
    }

    private static byte[] Sign(PortalSigningKey key, string body) => HMACSHA256.HashData(key.Secret, Encoding.UTF8.GetBytes(Domain + body));

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0) return false;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed record Payload(string T, string C, long Exp);
}
