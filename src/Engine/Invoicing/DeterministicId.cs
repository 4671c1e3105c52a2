using System.Security.Cryptography;
using System.Text;

namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// Ids derived from content: prefix + "_" + the first 32 hex digits of SHA-256 over the length-prefixed parts,
/// so re-running with the same inputs yields the same ids and no two part lists collide by concatenation.
/// </summary>
public static class DeterministicId
{
    public static string For(string prefix, params IEnumerable<string> parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
            text.Append(part.Length).Append(':').Append(part).Append('|');
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return prefix + "_" + Convert.ToHexStringLower(hash)[..32];
    }
}
