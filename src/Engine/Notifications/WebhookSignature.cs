using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RulesBilling.Engine.Notifications;

/// <summary>
/// The signature scheme of docs/webhooks.md: <c>RulesBilling-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c> where
/// hex = lower-case HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;") over the UTF-8 bytes. The timestamp is signed with the
/// body so a captured request cannot be replayed later with a fresh timestamp.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "RulesBilling-Signature";
    public const string DeliveryIdHeader = "RulesBilling-Delivery-Id";
    public const string EventTypeHeader = "RulesBilling-Event-Type";
    public const string AttemptHeader = "RulesBilling-Attempt";

    public static string Compute(string secret, long timestamp, string body)
    {
        var payload = timestamp.ToString(CultureInfo.InvariantCulture) + "." + body;
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));
    }

    public static string Header(string secret, long timestamp, string body) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Compute(secret, timestamp, body)}";

    /// <summary>
    /// True when <paramref name="header"/> carries a v1 signature of <paramref name="body"/> under <paramref name="secret"/>
    /// and its timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>. Compares in constant time.
    /// </summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var (name, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)) timestamp = t;
            else if (name == "v1") signatures.Add(value);
        }
        if (timestamp is not { } ts || signatures.Count == 0) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, ts, body));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
    }
}
