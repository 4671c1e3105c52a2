using System.Security.Cryptography;
using System.Text;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>API keys: 32 random bytes, shown once; only their SHA-256 is ever stored or compared.</summary>
internal static class ApiKeys
{
    private const string KeyPrefix = "rbk_";

    public static string NewKey() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Enough of the key to recognise it in a list, not enough to use it.</summary>
    public static string Prefix(string key) => key[..Math.Min(key.Length, KeyPrefix.Length + 6)];

    /// <summary>Constant-time comparison of a presented key with the configured admin key.</summary>
    public static bool MatchesAdmin(string presented, string adminKey) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(adminKey)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
