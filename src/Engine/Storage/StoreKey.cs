using System.Security.Cryptography;
using System.Text;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// Builds the string keys the LiteDB store uses for unique ids and index lookups from several parts.
/// The readable form joins the parts with U+001F; it is used only when no part contains U+001F (so the join is
/// unambiguous) and the key fits LiteDB's 1023-byte index-key limit. Otherwise the key is "#" + SHA-256 of the
/// length-prefixed parts, which never collides with a readable key because it contains no U+001F.
/// </summary>
internal static class StoreKey
{
    private const char Separator = '\u001f';

    // Leaves room under LiteDB's 1023-byte limit for the key's own BSON type/length header.
    private const int MaxReadableBytes = 900;

    public static string Compose(params string[] parts)
    {
        var readable = string.Join(Separator, parts);
        var unambiguous = parts.All(p => !p.Contains(Separator));
        if (unambiguous && Encoding.UTF8.GetByteCount(readable) <= MaxReadableBytes) return readable;

        var builder = new StringBuilder();
        foreach (var part in parts) builder.Append(part.Length).Append(':').Append(part);
        return "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
